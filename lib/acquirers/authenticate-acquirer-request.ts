import { isCredentialActive } from '@/lib/acquirers/api-credential';
import { verifyAcquirerRequest, type RequestHeaders } from '@/lib/acquirers/request-signature';
import { DatabaseReplayCache } from '@/lib/acquirers/request-nonce-cache';
import type { Actor } from '@/lib/audit/record-audit-event';
import { sha256Hex } from '@/lib/auth/tokens';
import { caParty } from '@/lib/certificates/ca-client';
import { db, type Db } from '@/lib/db/client';
import { isPkiError, type ChainValidator } from '@/lib/pki';
import { isSetError, sameString, type ReplayCache } from '@/lib/set';

/** The acquirer a signed request was made by, as ServerPOS knows it. */
export interface AcquirerCaller {
  /** Our Acquirer row. */
  acquirerId: string;
  /** Its code, which its gateway certificate names as the SET acquirer id. */
  acquirerCode: string;
  acquirerName: string;
  /** The API credential's public id (never the secret). */
  credentialId: string;
  actor: Actor;
}

/**
 * A refused acquirer request: 401 with `code` (docs/acquirer-api.md, "Errors"). `caller` is set when the
 * gateway certificate already proved which acquirer it is (so the refusal can be audited as that acquirer's).
 */
export class AcquirerRequestRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly caller: { acquirerId: string; acquirerCode: string; credentialId: string } | null = null,
  ) {
    super(message);
    this.name = 'AcquirerRequestRefused';
  }
}

/** lastUsedAt is written at most this often per credential. */
const LAST_USED_RESOLUTION_MS = 60_000;

// Compared against when no credential has the presented id, so that case costs the same work.
const absentSecretHash = sha256Hex('no credential has this id');

/**
 * Authenticates a signed request of the acquirer admin API, in the documented order: the request signature
 * (lib/acquirers/request-signature.ts) against the CA's pinned root and current CRLs, the certificate's
 * acquirer among ours, the nonce new in the shared database cache, then the API credential — known, of this
 * very acquirer, not revoked, not past its end, and the secret's SHA-256 equal to the stored one (compared
 * in constant time). A DISABLED acquirer is refused. Every refusal is an AcquirerRequestRefused.
 */
export async function authenticateAcquirerRequest(options: {
  method: string;
  url: string;
  body: string | Uint8Array;
  headers: RequestHeaders;
  now?: Date;
  validator?: ChainValidator;
  prisma?: Db;
}): Promise<AcquirerCaller> {
  const prisma = options.prisma ?? db();
  const now = options.now ?? new Date();
  const validator = options.validator ?? (await caParty()).validator;

  // The nonce is remembered only once the acquirer is known to us (below); verifyAcquirerRequest checks it last.
  let nonce: { key: string; expiresAt: Date } | null = null;
  const deferred: ReplayCache = {
    remember: async (key, expiresAt) => {
      nonce = { key, expiresAt };
      return true;
    },
  };
  let verified;
  try {
    verified = await verifyAcquirerRequest({ method: options.method, url: options.url, body: options.body, headers: options.headers, validator, replayCache: deferred, now });
  } catch (error) {
    if (isSetError(error) || isPkiError(error)) throw new AcquirerRequestRefused(error.code, error.message);
    throw error;
  }

  const acquirer = await prisma.acquirer.findUnique({ where: { code: verified.acquirerId }, select: { id: true, code: true, name: true, status: true } });
  if (!acquirer) throw new AcquirerRequestRefused('identity_mismatch', 'The gateway certificate names an acquirer ServerPOS does not work with.');
  const known = { acquirerId: acquirer.id, acquirerCode: acquirer.code, credentialId: verified.credentialId };
  const replay = nonce as { key: string; expiresAt: Date } | null;
  if (!replay || !(await new DatabaseReplayCache(prisma, () => now).remember(replay.key, replay.expiresAt))) {
    throw new AcquirerRequestRefused('replayed_message', 'This request was already received.', known);
  }

  const credential = await prisma.acquirerApiCredential.findUnique({
    where: { credentialId: verified.credentialId },
    select: { id: true, acquirerId: true, secretHash: true, expiresAt: true, revokedAt: true, lastUsedAt: true },
  });
  const secretMatches = sameString(sha256Hex(verified.credentialSecret), credential?.secretHash ?? absentSecretHash);
  // One answer for every way the credential is wrong, so a caller learns nothing about other acquirers' credentials.
  if (!credential || !secretMatches || credential.acquirerId !== acquirer.id || !isCredentialActive(credential, now)) {
    throw new AcquirerRequestRefused('invalid_credentials', 'The API credential is unknown, revoked or expired, not this acquirer’s, or the secret is wrong.', known);
  }
  if (acquirer.status !== 'ACTIVE') throw new AcquirerRequestRefused('invalid_credentials', 'This acquirer is disabled in ServerPOS.', known);

  const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  if (!credential.lastUsedAt || credential.lastUsedAt < stale) {
    // Guarded, so concurrent requests of one credential write it once.
    await prisma.acquirerApiCredential.updateMany({ where: { id: credential.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: stale } }] }, data: { lastUsedAt: now } });
  }
  return { ...known, acquirerName: acquirer.name, actor: { type: 'ACQUIRER', id: acquirer.id } };
}
