/**
 * Run by the demo (scripts/stack.ts) once the app and worker are up, with their environment: registers the
 * sample shop's POS with its store's acquirers (lib/seed/register-demo-shop.ts), taking each acquisition
 * number from the e-mail the acquirer sent, in the demo's mail inbox (DEMO_MAIL_URL). Prints what it did,
 * never the numbers.
 */
import '@/lib/crypto/use-native-crypto';
import { db } from '@/lib/db/client';
import { describeError } from '@/lib/log';
import { DEMO_SHOP_OWNER_EMAIL } from '@/lib/seed/seed-demo-shop';
import { registerDemoShop } from '@/lib/seed/register-demo-shop';

const storeId = process.env.DEMO_SHOP_STORE_ID ?? '';
const posId = process.env.DEMO_SHOP_POS_ID ?? '';
const mailUrl = process.env.DEMO_MAIL_URL ?? 'http://127.0.0.1:8025/';

/** The number in the newest "<acquirer> verified your store" e-mail to the demo store, waiting a little for it to arrive. */
async function acquisitionNumberFromInbox(acquirer: { name: string }): Promise<string | undefined> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const list = (await (await fetch(new URL(`api/messages?to=${encodeURIComponent(DEMO_SHOP_OWNER_EMAIL)}`, mailUrl))).json()) as { messages: { id: string; subject: string }[] };
    const found = list.messages.find((message) => message.subject.startsWith(`${acquirer.name} verified your store`));
    if (found) {
      const message = (await (await fetch(new URL(`api/messages/${encodeURIComponent(found.id)}`, mailUrl))).json()) as { text: string };
      return /acquisition number for .+? is: ([0-9A-Z]{5}(?:-[0-9A-Z]{5}){3})/.exec(message.text)?.[1];
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return undefined;
}

try {
  const outcomes = await registerDemoShop({ storeId, posId, findAcquisitionNumber: acquisitionNumberFromInbox });
  for (const { acquirer, outcome } of outcomes) console.log(`${acquirer}: ${outcome.replaceAll('_', ' ')}`);
  await db().$disconnect();
  // The shop can take payments when at least one acquirer registered its POS.
  process.exit(outcomes.some((entry) => entry.outcome === 'registered' || entry.outcome === 'already_registered') ? 0 : 2);
} catch (error) {
  console.error(`could not register the sample shop's POS: ${describeError(error).errorMessage}`);
  process.exit(1);
}
