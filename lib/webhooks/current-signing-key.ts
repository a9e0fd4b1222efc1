import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { db, type Db } from '@/lib/db/client';
import { unwrapPrivateKey, wrapPrivateKey } from '@/lib/keys/vault';
import { webhookJwkOf } from '@/lib/webhooks/signature';

export const WEBHOOK_KEY_ALGORITHM = 'Ed25519';

/** What the vault binds a webhook key's ciphertext to: its kid, in a namespace of its own beside store key pairs. */
export const webhookKeyVaultId = (kid: string) => `webhook-signing-key:${kid}`;

// Keys are numbered, not random: every instance that finds no current key tries to insert the same
// kid (one past the newest retired key), so the insert of one wins and all of them then read that one.
const kidFor = (generation: number) => `webhook-key-${generation}`;

/** How long an instance trusts its idea of which key is current before it looks again (a rotation elsewhere). */
const CURRENT_KEY_RECHECK_MS = 5 * 60_000;

const unwrappedKeys = new Map<string, KeyObject>();
let current: { kid: string; checkedAt: number } | null = null;

/**
 * The platform key that signs webhooks now: the newest key not retired, created on first need.
 * Creation is race-safe across app and worker instances: INSERT … ON CONFLICT DO NOTHING on a kid every
 * instance computes alike, then a read. The private key is stored only wrapped by the vault (the kid as
 * additional data) and unwrapped once per process.
 */
export async function currentSigningKey(prisma: Db = db()): Promise<{ kid: string; privateKey: KeyObject }> {
  if (!current || Date.now() - current.checkedAt > CURRENT_KEY_RECHECK_MS) current = { kid: await findOrCreateCurrentKid(prisma), checkedAt: Date.now() };
  return { kid: current.kid, privateKey: await privateKeyOf(prisma, current.kid) };
}

/** The kid of the current key, creating the key when there is none; uncached (currentSigningKey caches it). */
export async function findOrCreateCurrentKid(prisma: Db): Promise<string> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await prisma.webhookSigningKey.findFirst({ where: { retiredAt: null }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { id: true } });
    if (existing) return existing.id;
    // Numbered after the retired keys only: a key another instance inserts meanwhile is not retired, so it
    // does not move the number, and this insert then conflicts with it instead of making a second key.
    const kid = kidFor(nextGeneration(await prisma.webhookSigningKey.findMany({ where: { retiredAt: { not: null } }, select: { id: true } })));
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
    try {
      const wrapped = wrapPrivateKey(pkcs8, webhookKeyVaultId(kid));
      await prisma.webhookSigningKey.createMany({
        data: [{ id: kid, algorithm: WEBHOOK_KEY_ALGORITHM, publicJwk: { ...webhookJwkOf(publicKey, kid) }, ...wrapped }],
        skipDuplicates: true,
      });
    } finally {
      pkcs8.fill(0);
    }
  }
  throw new Error('No current webhook signing key could be created.');
}

function nextGeneration(keys: { id: string }[]): number {
  const generations = keys.map((key) => /^webhook-key-(\d{1,9})$/.exec(key.id)?.[1]).map(Number).filter(Number.isInteger);
  return Math.max(0, ...generations) + 1;
}

async function privateKeyOf(prisma: Db, kid: string): Promise<KeyObject> {
  const cached = unwrappedKeys.get(kid);
  if (cached) return cached;
  const row = await prisma.webhookSigningKey.findUniqueOrThrow({ where: { id: kid }, select: { encryptedPrivateKey: true, masterKeyVersion: true } });
  const pkcs8 = unwrapPrivateKey(row.encryptedPrivateKey, row.masterKeyVersion, webhookKeyVaultId(kid));
  try {
    const key = createPrivateKey({ key: Buffer.from(pkcs8.buffer, pkcs8.byteOffset, pkcs8.byteLength), format: 'der', type: 'pkcs8' });
    unwrappedKeys.set(kid, key);
    return key;
  } finally {
    pkcs8.fill(0);
  }
}
