import type { Actor } from '@/lib/audit/record-audit-event';
import { sha256Hex } from '@/lib/auth/tokens';
import { db, type Db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { parsePosApiKey } from '@/lib/pos/api-key';
import { sameString } from '@/lib/set/encoding';

/** Who is calling the POS API: one key of one POS of one store. */
export interface PosPrincipal {
  storeId: string;
  posId: string;
  apiKeyId: string;
  actor: Actor;
}

/** lastUsedAt is written at most this often per key, so a busy shop does not write on every request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

// One answer whatever was wrong, so a caller learns nothing about which keys, POSes or stores exist.
const refused = () => new AppError('unauthenticated', 'Send a valid POS API key as “Authorization: Bearer spk_…”.');

// Compared against when no key has the presented prefix, so that case costs the same work.
const absentKeyHash = sha256Hex('no key has this prefix');

/** The POS API key an Authorization header presents (`Bearer spk_<prefix>_<secret>`), or null when it presents none. */
export function presentedPosApiKey(authorization: string | null | undefined): { prefix: string; secret: string } | null {
  const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
  return match ? parsePosApiKey(match[1]!) : null;
}

/**
 * Authenticates a POS API request from its Authorization header (`Bearer spk_<prefix>_<secret>`). The key
 * is found by its public prefix and its secret checked against the stored SHA-256 in constant time.
 * Refused alike: a missing or malformed header, an unknown prefix, a wrong secret, a revoked key, a
 * disabled POS and a withdrawn store. A suspended store still authenticates (its shop may read its state);
 * what it may do is decided by each operation.
 */
export async function authenticatePosApiKey(options: { authorization: string | null | undefined; now?: Date; prisma?: Db }): Promise<PosPrincipal> {
  const presented = presentedPosApiKey(options.authorization);
  if (!presented) throw refused();
  const prisma = options.prisma ?? db();
  const key = await prisma.posApiKey.findUnique({
    where: { prefix: presented.prefix },
    select: { id: true, storeId: true, posId: true, secretHash: true, revokedAt: true, lastUsedAt: true, pos: { select: { storeId: true, status: true, store: { select: { status: true } } } } },
  });
  const secretMatches = sameString(sha256Hex(presented.secret), key?.secretHash ?? absentKeyHash);
  if (!key || !secretMatches || key.revokedAt || key.pos.storeId !== key.storeId || key.pos.status !== 'ACTIVE' || key.pos.store.status === 'WITHDRAWN') throw refused();

  const now = options.now ?? new Date();
  const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  if (!key.lastUsedAt || key.lastUsedAt < stale) {
    // Guarded, so concurrent requests of one key write it once.
    await prisma.posApiKey.updateMany({ where: { id: key.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: stale } }] }, data: { lastUsedAt: now } });
  }
  return { storeId: key.storeId, posId: key.posId, apiKeyId: key.id, actor: { type: 'POS_API_KEY', id: key.id } };
}
