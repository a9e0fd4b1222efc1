import { isCredentialActive } from '@/lib/acquirers/api-credential';
import { db } from '@/lib/db/client';
import { isUuid } from '@/lib/validation';

export interface ApiCredentialSummary {
  id: string;
  credentialId: string;
  label: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  /** Not revoked and not past its end: it still authenticates. */
  active: boolean;
}

/** An acquirer's API credentials, newest first, for the operator console. Never the secret's hash. */
export async function listApiCredentials(acquirerId: string, now = new Date()): Promise<ApiCredentialSummary[]> {
  if (!isUuid(acquirerId)) return [];
  const rows = await db().acquirerApiCredential.findMany({
    where: { acquirerId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { id: true, credentialId: true, label: true, createdAt: true, expiresAt: true, revokedAt: true, lastUsedAt: true },
  });
  return rows.map((row) => ({ ...row, active: isCredentialActive(row, now) }));
}
