import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isCredentialActive } from '@/lib/acquirers/api-credential';
import { issueApiCredential } from '@/lib/acquirers/issue-api-credential';
import { systemActor } from '@/lib/audit/record-audit-event';
import { sha256Hex } from '@/lib/auth/tokens';
import type { Db } from '@/lib/db/client';
import { sameString } from '@/lib/set/encoding';
import { credentialFilePath } from '@/sim/acquirer/cli';

/** The label of the credentials the demo and the browser-test stack issue for the acquirer CLI. */
export const CLI_CREDENTIAL_LABEL = 'Acquirer CLI (sandbox)';

/** The credential in an acquirer's file, when it is still one ServerPOS accepts for that acquirer. */
async function stillValid(prisma: Db, file: string, acquirerId: string): Promise<string | null> {
  if (!existsSync(file)) return null;
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { credentialId?: unknown; secret?: unknown };
    if (typeof stored.credentialId !== 'string' || typeof stored.secret !== 'string') return null;
    const row = await prisma.acquirerApiCredential.findUnique({ where: { credentialId: stored.credentialId }, select: { acquirerId: true, secretHash: true, revokedAt: true, expiresAt: true } });
    if (!row || row.acquirerId !== acquirerId || !isCredentialActive(row, new Date()) || !sameString(sha256Hex(stored.secret), row.secretHash)) return null;
    return stored.credentialId;
  } catch {
    return null;
  }
}

/**
 * Gives each simulated acquirer an API credential for ServerPOS's acquirer API, so the acquirer CLI works out
 * of the box in the demo and the browser-test stack: a credential whose file is there and still valid is
 * kept; otherwise one is issued (audited, as the system) and written to
 * `<simDataDir>/acquirers/<code>/serverpos-credential.json` — mode 0600, written to a temporary file and
 * renamed, so the CLI never reads half a file. The secret goes to that file only, never to a log.
 */
export async function provisionAcquirerCliCredentials(prisma: Db, options: { simDataDir: string; acquirerCodes: readonly string[] }): Promise<{ acquirerCode: string; credentialId: string; issued: boolean }[]> {
  const results: { acquirerCode: string; credentialId: string; issued: boolean }[] = [];
  for (const acquirerCode of options.acquirerCodes) {
    const acquirer = await prisma.acquirer.findUnique({ where: { code: acquirerCode }, select: { id: true } });
    if (!acquirer) continue;
    const file = credentialFilePath(options.simDataDir, acquirerCode);
    const kept = await stillValid(prisma, file, acquirer.id);
    if (kept) {
      results.push({ acquirerCode, credentialId: kept, issued: false });
      continue;
    }
    const issued = await issueApiCredential({ actor: systemActor, acquirerId: acquirer.id, label: CLI_CREDENTIAL_LABEL, prisma });
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${randomUUID()}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ credentialId: issued.credentialId, secret: issued.secret }, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, file);
    results.push({ acquirerCode, credentialId: issued.credentialId, issued: true });
  }
  return results;
}
