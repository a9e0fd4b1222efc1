import { credentialIdSchema, generateApiCredential, isCredentialActive } from '@/lib/acquirers/api-credential';
import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';

const MAX_GRACE_HOURS = 24 * 30;

/**
 * Rotates an acquirer API credential (the operator only): a new credential with the same label, and the
 * old one ends `graceHours` from now (0 ends it at once), so the acquirer can switch without downtime.
 * An old credential that already ends sooner keeps its earlier end. Under the old row's lock, so two
 * rotations of one credential cannot both issue; a revoked or expired credential cannot be rotated.
 */
export async function rotateApiCredential(options: {
  actor: Actor;
  credentialId: string;
  origin?: RequestOrigin | null;
  graceHours?: number;
  now?: Date;
}): Promise<{ credentialId: string; secret: string; id: string; oldExpiresAt: Date }> {
  if (options.actor.type !== 'OPERATOR' && options.actor.type !== 'SYSTEM') throw new AppError('not_found', 'Credential not found.');
  // Anything but an id ServerPOS issues (a NUL from a hostile form) names nothing, and never reaches the query.
  if (!credentialIdSchema.safeParse(options.credentialId).success) throw new AppError('not_found', 'Credential not found.');
  const graceHours = options.graceHours ?? 24;
  if (!Number.isFinite(graceHours) || graceHours < 0 || graceHours > MAX_GRACE_HOURS) {
    throw new AppError('validation_failed', `The old credential may keep working for 0 to ${MAX_GRACE_HOURS} hours.`, [{ path: 'graceHours', message: `Use 0 to ${MAX_GRACE_HOURS} hours.` }]);
  }
  const now = options.now ?? new Date();
  return db().$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT "id"::text FROM "AcquirerApiCredential" WHERE "credentialId" = ${options.credentialId} FOR UPDATE`;
    if (!locked) throw new AppError('not_found', 'Credential not found.');
    const old = await tx.acquirerApiCredential.findUniqueOrThrow({
      where: { id: locked.id },
      select: { id: true, acquirerId: true, credentialId: true, label: true, expiresAt: true, revokedAt: true, acquirer: { select: { code: true } } },
    });
    if (!isCredentialActive(old, now)) throw new AppError('invalid_state_transition', 'This credential is revoked or has expired; issue a new one instead.');
    const graceEnd = new Date(now.getTime() + graceHours * 3_600_000);
    const oldExpiresAt = old.expiresAt && old.expiresAt < graceEnd ? old.expiresAt : graceEnd;
    await tx.acquirerApiCredential.update({ where: { id: old.id }, data: { expiresAt: oldExpiresAt } });
    const credential = generateApiCredential();
    const row = await tx.acquirerApiCredential.create({
      data: { acquirerId: old.acquirerId, credentialId: credential.credentialId, secretHash: credential.secretHash, label: old.label },
      select: { id: true },
    });
    await recordAuditEvent(tx, {
      actor: options.actor,
      action: 'acquirer.api_credential_rotated',
      targetType: 'AcquirerApiCredential',
      targetId: row.id,
      data: { acquirerCode: old.acquirer.code, credentialId: credential.credentialId, replacedCredentialId: old.credentialId, oldExpiresAt: oldExpiresAt.toISOString() },
      origin: options.origin ?? null,
    });
    return { credentialId: credential.credentialId, secret: credential.secret, id: row.id, oldExpiresAt };
  });
}
