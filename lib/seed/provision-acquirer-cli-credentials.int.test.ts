import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { revokeApiCredential } from '@/lib/acquirers/revoke-api-credential';
import { sha256Hex } from '@/lib/auth/tokens';
import { db } from '@/lib/db/client';
import { provisionAcquirerCliCredentials } from '@/lib/seed/provision-acquirer-cli-credentials';
import { credentialFilePath, loadServerposCredential } from '@/sim/acquirer/cli';

const folder = mkdtempSync(path.join(tmpdir(), 'cli-credentials-'));

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('provisionAcquirerCliCredentials', () => {
  it('writes one valid credential file per acquirer (0600), keeps it on the next start, and replaces a revoked one', async () => {
    const code = `ACQ-${randomUUID().slice(0, 8).toUpperCase()}`;
    const acquirer = await db().acquirer.create({ data: { code, name: 'Provisioned', brands: ['VISA'], gatewayUrl: 'http://127.0.0.1:9/set' } });
    const first = await provisionAcquirerCliCredentials(db(), { simDataDir: folder, acquirerCodes: [code, 'ACQ-NOT-THERE'] });
    expect(first).toEqual([{ acquirerCode: code, credentialId: expect.stringMatching(/^acqcred_/), issued: true }]);
    const file = credentialFilePath(folder, code);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const loaded = loadServerposCredential(folder, code, {});
    expect(loaded).toMatchObject({ status: 'found', credential: { credentialId: first[0]!.credentialId } });
    expect(loaded).not.toHaveProperty('warning');
    const secret = (JSON.parse(readFileSync(file, 'utf8')) as { secret: string }).secret;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await db().acquirerApiCredential.findUniqueOrThrow({ where: { credentialId: first[0]!.credentialId } });
    expect(row).toMatchObject({ acquirerId: acquirer.id, secretHash: sha256Hex(secret) });
    expect(JSON.stringify(await db().auditEvent.findMany({ where: { targetId: row.id } }))).not.toContain(secret);

    expect(await provisionAcquirerCliCredentials(db(), { simDataDir: folder, acquirerCodes: [code] })).toEqual([{ acquirerCode: code, credentialId: first[0]!.credentialId, issued: false }]);
    await revokeApiCredential({ actor: { type: 'OPERATOR', id: null }, credentialId: first[0]!.credentialId });
    const third = await provisionAcquirerCliCredentials(db(), { simDataDir: folder, acquirerCodes: [code] });
    expect(third[0]).toMatchObject({ issued: true });
    expect(third[0]!.credentialId).not.toBe(first[0]!.credentialId);
    expect(await db().acquirerApiCredential.count({ where: { acquirerId: acquirer.id, revokedAt: null } })).toBe(1);
  });
});
