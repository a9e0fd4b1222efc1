import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addBinRange } from '@/lib/acquirers/add-bin-range';
import { createAcquirer } from '@/lib/acquirers/create-acquirer';
import { getAcquirer } from '@/lib/acquirers/get-acquirer';
import { updateAcquirer } from '@/lib/acquirers/update-acquirer';
import type { Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { createOperator, createStoreWithOwner } from '@/lib/testing/fixtures';

async function operatorActor(): Promise<Actor> {
  return { type: 'OPERATOR', id: (await createOperator()).userId };
}

const uniqueCode = () => `ACQ-T${randomUUID().slice(0, 8).toUpperCase()}`;

function validInput(code = uniqueCode()) {
  return { code, name: 'Kumo Card Services', gatewayUrl: 'https://gateway.kumo.example/set/', registryUrl: 'https://registry.kumo.example/registry', brands: ['MASTER', 'VISA'] };
}

describe('onboarding an acquirer', () => {
  it('adds one, normalised (code in capitals, no trailing slash, brands in list order), audited as the operator', async () => {
    const actor = await operatorActor();
    const code = uniqueCode();

    const created = await createAcquirer({ actor, input: { ...validInput(code.toLowerCase()), name: '  Kumo Card Services ' }, origin: { ipAddress: '198.51.100.7', userAgent: 'test' } });

    expect(created).toMatchObject({ code, name: 'Kumo Card Services' });
    expect(await db().acquirer.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({
      code,
      name: 'Kumo Card Services',
      gatewayUrl: 'https://gateway.kumo.example/set',
      registryUrl: 'https://registry.kumo.example/registry',
      brands: ['VISA', 'MASTER'],
      status: 'ACTIVE',
    });
    expect(await db().auditEvent.findFirstOrThrow({ where: { action: 'acquirer.created', targetId: created.id } })).toMatchObject({
      actorType: 'OPERATOR',
      actorId: actor.id,
      storeId: null,
      targetType: 'Acquirer',
      ipAddress: '198.51.100.7',
      data: { acquirerCode: code, brands: ['VISA', 'MASTER'], gatewayUrl: 'https://gateway.kumo.example/set' },
    });
  });

  it('takes an empty registry URL as none', async () => {
    const created = await createAcquirer({ actor: await operatorActor(), input: { ...validInput(), registryUrl: '   ' } });
    expect((await db().acquirer.findUniqueOrThrow({ where: { id: created.id } })).registryUrl).toBeNull();
  });

  it.each([
    ['no code', { code: '' }, 'code'],
    ['a code with spaces', { code: 'ACQ CARD' }, 'code'],
    ['a code starting with a hyphen', { code: '-ACQ' }, 'code'],
    ['a code of 41 characters', { code: 'A'.repeat(41) }, 'code'],
    ['no name', { name: '  ' }, 'name'],
    ['a name with a control character', { name: 'Kumo\u0007' }, 'name'],
    ['a relative gateway URL', { gatewayUrl: '/set' }, 'gatewayUrl'],
    ['an ftp gateway URL', { gatewayUrl: 'ftp://gateway.example/set' }, 'gatewayUrl'],
    ['a gateway URL with credentials', { gatewayUrl: 'https://user:pw@gateway.example/set' }, 'gatewayUrl'],
    ['a javascript: registry URL', { registryUrl: 'javascript:alert(1)' }, 'registryUrl'],
    ['no brand', { brands: [] }, 'brands'],
    ['an unknown brand', { brands: ['VISA', 'AMEX'] }, 'brands.1'],
    ['brands that are not a list', { brands: 'VISA' }, 'brands'],
  ])('refuses %s with the field, writing nothing', async (_label, fields, path) => {
    const input = { ...validInput(), ...fields };
    await expect(createAcquirer({ actor: await operatorActor(), input })).rejects.toMatchObject({
      code: 'validation_failed',
      fields: expect.arrayContaining([expect.objectContaining({ path })]),
    });
    if (typeof input.code === 'string' && input.code) expect(await db().acquirer.count({ where: { code: input.code.toUpperCase() } })).toBe(0);
  });

  it('refuses a code already taken, in any letter case, as a conflict that names the code, writing nothing', async () => {
    const actor = await operatorActor();
    const code = uniqueCode();
    await createAcquirer({ actor, input: validInput(code) });
    // An older row in lower case (written before codes were normalised) still blocks its upper-case twin.
    const lower = `acq-l${randomUUID().slice(0, 8)}`;
    await db().acquirer.create({ data: { code: lower, name: 'Legacy', brands: ['VISA'], gatewayUrl: 'http://127.0.0.1:9/set' } });

    for (const taken of [code, code.toLowerCase(), lower.toUpperCase()]) {
      const attempt = createAcquirer({ actor, input: { ...validInput(taken), name: 'Someone Else' } });
      await expect(attempt).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/already exists/) });
    }
    expect(await db().acquirer.count({ where: { code: { equals: code, mode: 'insensitive' } } })).toBe(1);
    expect(await db().acquirer.count({ where: { name: 'Someone Else' } })).toBe(0);
    expect(await db().auditEvent.count({ where: { action: 'acquirer.created', data: { path: ['acquirerCode'], equals: code } } })).toBe(1);
  });

  it('of two onboardings of one code at the same moment, one is added and the other is a conflict', async () => {
    const actor = await operatorActor();
    const code = uniqueCode();
    const results = await Promise.allSettled([createAcquirer({ actor, input: validInput(code) }), createAcquirer({ actor, input: validInput(code.toLowerCase()) })]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((result) => result.status === 'rejected')).toMatchObject({ reason: { code: 'conflict' } });
    expect(await db().acquirer.count({ where: { code } })).toBe(1);
    expect(await db().auditEvent.count({ where: { action: 'acquirer.created', data: { path: ['acquirerCode'], equals: code } } })).toBe(1);
  });

  it('lets only the operator onboard: anyone else is told there is nothing here', async () => {
    const store = await createStoreWithOwner();
    const input = validInput();
    await expect(createAcquirer({ actor: { type: 'STORE_USER', id: store.userId }, input })).rejects.toMatchObject({ code: 'not_found' });
    await expect(createAcquirer({ actor: { type: 'ACQUIRER', id: randomUUID() }, input })).rejects.toMatchObject({ code: 'not_found' });
    expect(await db().acquirer.count({ where: { code: input.code } })).toBe(0);
  });
});

describe('editing an acquirer', () => {
  async function onboarded() {
    const actor = await operatorActor();
    const created = await createAcquirer({ actor, input: validInput() });
    return { actor, ...created };
  }

  it('changes name, URLs, brands and status, recording which fields changed; the code stays', async () => {
    const { actor, id, code } = await onboarded();
    const result = await updateAcquirer({
      actor,
      acquirerId: id,
      input: { name: 'Kumo Card', gatewayUrl: 'http://127.0.0.1:7101/set', registryUrl: '', brands: ['VISA', 'JCB'], status: 'DISABLED', code: 'IGNORED' },
    });

    expect(result.changedFields).toEqual(['name', 'gatewayUrl', 'registryUrl', 'brands', 'status']);
    expect(await db().acquirer.findUniqueOrThrow({ where: { id } })).toMatchObject({ code, name: 'Kumo Card', gatewayUrl: 'http://127.0.0.1:7101/set', registryUrl: null, brands: ['VISA', 'JCB'], status: 'DISABLED' });
    expect(await db().auditEvent.findFirstOrThrow({ where: { action: 'acquirer.updated', targetId: id } })).toMatchObject({
      actorType: 'OPERATOR',
      actorId: actor.id,
      data: { acquirerCode: code, fields: ['name', 'gatewayUrl', 'registryUrl', 'brands', 'status'], fromStatus: 'ACTIVE', toStatus: 'DISABLED', brands: ['VISA', 'JCB'] },
    });
  });

  it('records nothing when nothing changed', async () => {
    const { actor, id } = await onboarded();
    const same = { name: 'Kumo Card Services', gatewayUrl: 'https://gateway.kumo.example/set', registryUrl: 'https://registry.kumo.example/registry', brands: ['VISA', 'MASTER'], status: 'ACTIVE' };
    expect((await updateAcquirer({ actor, acquirerId: id, input: same })).changedFields).toEqual([]);
    expect(await db().auditEvent.count({ where: { action: 'acquirer.updated', targetId: id } })).toBe(0);
  });

  it('refuses to drop a brand that still has BIN ranges, and bad input, changing nothing', async () => {
    const { actor, id } = await onboarded();
    await addBinRange({ actor, input: { acquirerId: id, brand: 'MASTER', binFrom: '510000', binTo: '519999' } });
    const base = { name: 'Kumo Card Services', gatewayUrl: 'https://gateway.kumo.example/set', registryUrl: '', status: 'ACTIVE' };

    await expect(updateAcquirer({ actor, acquirerId: id, input: { ...base, brands: ['VISA'] } })).rejects.toMatchObject({
      code: 'validation_failed',
      fields: [{ path: 'brands', message: expect.stringContaining('MASTER') }],
    });
    await expect(updateAcquirer({ actor, acquirerId: id, input: { ...base, brands: ['VISA', 'MASTER'], status: 'PAUSED' } })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(updateAcquirer({ actor, acquirerId: id, input: { ...base, brands: ['VISA', 'MASTER'], gatewayUrl: 'gateway' } })).rejects.toMatchObject({ code: 'validation_failed' });

    expect(await db().acquirer.findUniqueOrThrow({ where: { id } })).toMatchObject({ brands: ['VISA', 'MASTER'], registryUrl: 'https://registry.kumo.example/registry' });
    expect(await db().auditEvent.count({ where: { action: 'acquirer.updated', targetId: id } })).toBe(0);
  });

  it('answers not_found for an unknown or malformed id and for anyone but the operator', async () => {
    const { id } = await onboarded();
    const input = { name: 'X', gatewayUrl: 'https://x.example', registryUrl: '', brands: ['VISA'], status: 'ACTIVE' };
    const actor = await operatorActor();
    await expect(updateAcquirer({ actor, acquirerId: randomUUID(), input })).rejects.toMatchObject({ code: 'not_found' });
    await expect(updateAcquirer({ actor, acquirerId: 'not-an-id', input })).rejects.toMatchObject({ code: 'not_found' });
    await expect(updateAcquirer({ actor: { type: 'POS_API_KEY', id: randomUUID() }, acquirerId: id, input })).rejects.toMatchObject({ code: 'not_found' });
    expect((await db().acquirer.findUniqueOrThrow({ where: { id } })).name).toBe('Kumo Card Services');
  });
});

describe('getAcquirer', () => {
  it('reads settings, BIN ranges and the stores under contract by status; null for unknown ids', async () => {
    const actor = await operatorActor();
    const { id } = await createAcquirer({ actor, input: validInput() });
    await addBinRange({ actor, input: { acquirerId: id, brand: 'VISA', binFrom: '411100', binTo: '411199' } });
    for (const status of ['VERIFIED', 'VERIFIED', 'APPLIED', 'WITHDRAWN'] as const) {
      const store = await createStoreWithOwner();
      await db().acquirerContract.create({ data: { storeId: store.storeId, acquirerId: id, merchantNumber: `M-${randomUUID().slice(0, 8)}`, status } });
    }

    const detail = await getAcquirer(id);
    expect(detail).toMatchObject({ id, brands: ['VISA', 'MASTER'], stores: { total: 4, verified: 2, applied: 1, withdrawn: 1 } });
    expect(detail?.binRanges.map((range) => `${range.brand} ${range.binFrom}-${range.binTo}`)).toEqual(['VISA 411100-411199']);
    expect(await getAcquirer(randomUUID())).toBeNull();
    expect(await getAcquirer('1; DROP TABLE')).toBeNull();
  });
});
