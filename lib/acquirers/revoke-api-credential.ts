import { credentialIdSchema } from '@/lib/acquirers/api-credential';
import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';

/**
 * Revokes an acquirer API credential at once (the operator only): the next request naming it is refused
 * with invalid_credentials. Revoking a revoked credential changes nothing and records nothing.
 */
export async function revokeApiCredential(options: { actor: Actor; credentialId: string; origin?: RequestOrigin | null; now?: Date }): Promise<{ revoked: boolean }> {
  if (options.actor.type !== 'OPERATOR' && options.actor.type !== 'SYSTEM') throw new AppError('not_found', 'Credential not found.');
  // Anything but an id ServerPOS issues (a NUL from a hostile form) names nothing, and never reaches the query.
  if (!credentialIdSchema.safeParse(options.credentialId).success) throw new AppError('not_found', 'Credential not found.');
  const now = options.now ?? new Date();
  return db().$transaction(async (tx) => {
    const credential = await tx.acquirerApiCredential.findUnique({
      where: { credentialId: options.credentialId },
      select: { id: true, credentialId: true, acquirer: { select: { code: true } } },
    });
    if (!credential) throw new AppError('not_found', 'Credential not found.');
    // Guarded, so of two concurrent revocations one records it.
    const updated = await tx.acquirerApiCredential.updateMany({ where: { id: credential.id, revokedAt: null }, data: { revokedAt: now } });
    if (updated.count !== 1) return { revoked: false };
    await recordAuditEvent(tx, {
      actor: options.actor,
      action: 'acquirer.api_credential_revoked',
      targetType: 'AcquirerApiCredential',
      targetId: credential.id,
      data: { acquirerCode: credential.acquirer.code, credentialId: credential.credentialId },
      origin: options.origin ?? null,
    });
    return { revoked: true };
  });
}
