import { z } from 'zod';
import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { frameOriginProblem, MAX_FRAME_ORIGIN_LENGTH } from '@/lib/http/security-headers';
import { requireChangeableStore } from '@/lib/stores/store-scope';
import { parseInput } from '@/lib/validation';

/** A store registers at most this many origins: one per web shop it runs, not a catalogue of the web. */
export const MAX_CHECKOUT_FRAME_ORIGINS = 10;

/**
 * The settings form's text area: one origin per line (blank lines ignored). Each is checked by
 * frameOriginProblem and kept in its canonical form (lower-case host, default port dropped), without duplicates.
 */
export const checkoutFrameOriginsSchema = z
  .object({ checkoutFrameOrigins: z.string().max(MAX_CHECKOUT_FRAME_ORIGINS * (MAX_FRAME_ORIGIN_LENGTH + 2), 'Too long.').default('') })
  .transform((value, context) => {
    const lines = value.checkoutFrameOrigins
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line.length > 0);
    const origins: string[] = [];
    for (const line of lines) {
      const problem = frameOriginProblem(line);
      if (problem) {
        context.addIssue({ code: 'custom', path: ['checkoutFrameOrigins'], message: `${line.slice(0, 80)}: ${problem}` });
        return z.NEVER;
      }
      const origin = new URL(line).origin;
      if (!origins.includes(origin)) origins.push(origin);
    }
    if (origins.length > MAX_CHECKOUT_FRAME_ORIGINS) {
      context.addIssue({ code: 'custom', path: ['checkoutFrameOrigins'], message: `List at most ${MAX_CHECKOUT_FRAME_ORIGINS} origins.` });
      return z.NEVER;
    }
    return { checkoutFrameOrigins: origins };
  });

/**
 * Replaces the list of origins whose pages may frame the store's embeddable checkout
 * (`/checkout/<token>?embed=1`): the checkout page's `frame-ancestors` is exactly this list, or `'none'`
 * when it is empty. A setting of ServerPOS only (no store-information version); audited with the old and
 * new lists, in the same transaction as the change.
 */
export async function setCheckoutFrameOrigins(options: { storeId: string; actor: Actor; input: unknown; origin?: RequestOrigin }): Promise<{ checkoutFrameOrigins: string[]; changed: boolean }> {
  const { checkoutFrameOrigins } = parseInput(checkoutFrameOriginsSchema, options.input);
  return db().$transaction(async (tx) => {
    const store = await requireChangeableStore(tx, options.storeId, options.actor);
    // Locked, so two concurrent saves are audited each against the list it replaced.
    const [current] = await tx.$queryRaw<{ checkoutFrameOrigins: string[] }[]>`SELECT "checkoutFrameOrigins" FROM "Store" WHERE "id" = ${store.id}::uuid FOR UPDATE`;
    const before = current?.checkoutFrameOrigins ?? [];
    if (before.length === checkoutFrameOrigins.length && before.every((origin, index) => origin === checkoutFrameOrigins[index])) {
      return { checkoutFrameOrigins, changed: false };
    }
    await tx.store.update({ where: { id: store.id }, data: { checkoutFrameOrigins } });
    await recordAuditEvent(tx, {
      actor: options.actor,
      action: 'store.checkout_frame_origins_changed',
      storeId: store.id,
      targetType: 'Store',
      targetId: store.id,
      data: { frameOriginsBefore: before, frameOriginsAfter: checkoutFrameOrigins },
      origin: options.origin ?? null,
    });
    return { checkoutFrameOrigins, changed: true };
  });
}

/** The store's registered origins, for the settings page. */
export async function getCheckoutFrameOrigins(storeId: string): Promise<string[]> {
  const store = await db().store.findUnique({ where: { id: storeId }, select: { checkoutFrameOrigins: true } });
  return store?.checkoutFrameOrigins ?? [];
}
