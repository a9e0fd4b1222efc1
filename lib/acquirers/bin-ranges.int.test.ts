import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addBinRange } from '@/lib/acquirers/add-bin-range';
import { deleteBinRange } from '@/lib/acquirers/delete-bin-range';
import { listBinRanges } from '@/lib/acquirers/list-bin-ranges';
import type { Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { createOperator, uniqueName } from '@/lib/testing/fixtures';

async function acquirer() {
  return db().acquirer.create({ data: { code: `ACQ-${randomUUID().slice(0, 8)}`, name: uniqueName('Acquirer'), brands: ['VISA', 'MASTER'], gatewayUrl: 'http://127.0.0.1:9/set' }, select: { id: true, code: true } });
}

async function operatorActor(): Promise<Actor> {
  return { type: 'OPERATOR', id: (await createOperator()).userId };
}

describe('the operator’s BIN-range table', () => {
  it('adds a range of a brand the acquirer takes, audited as the operator, and deletes it again, audited', async () => {
    const { id: acquirerId, code } = await acquirer();
    const actor = await operatorActor();

    const added = await addBinRange({ actor, input: { acquirerId, brand: 'VISA', binFrom: ' 411100', binTo: '411199 ' } });

    expect(added).toMatchObject({ brand: 'VISA', binFrom: '411100', binTo: '411199' });
    expect(await db().binRange.findMany({ where: { acquirerId } })).toMatchObject([{ id: added.id, brand: 'VISA', binFrom: '411100', binTo: '411199' }]);
    expect((await listBinRanges()).filter((range) => range.acquirerId === acquirerId).map((range) => range.id)).toEqual([added.id]);
    expect(await db().auditEvent.findFirstOrThrow({ where: { action: 'acquirer.bin_range_added', targetId: added.id } })).toMatchObject({
      actorType: 'OPERATOR',
      actorId: actor.id,
      storeId: null,
      data: { acquirerCode: code, brand: 'VISA', binFrom: '411100', binTo: '411199' },
    });

    await deleteBinRange({ actor, binRangeId: added.id });

    expect(await db().binRange.count({ where: { acquirerId } })).toBe(0);
    expect(await db().auditEvent.count({ where: { action: 'acquirer.bin_range_deleted', targetId: added.id, actorType: 'OPERATOR' } })).toBe(1);
    await expect(deleteBinRange({ actor, binRangeId: added.id })).rejects.toMatchObject({ code: 'not_found' });
  });

  it.each([
    ['letters', { binFrom: '41a100', binTo: '411199' }, 'binFrom'],
    ['five digits', { binFrom: '41110', binTo: '41119' }, 'binFrom'],
    ['nine digits', { binFrom: '411100000', binTo: '411199999' }, 'binFrom'],
    ['bounds of different lengths', { binFrom: '411100', binTo: '4111999' }, 'binTo'],
    ['the last before the first', { binFrom: '411199', binTo: '411100' }, 'binTo'],
    ['a brand the acquirer does not take', { brand: 'JCB', binFrom: '352800', binTo: '358999' }, 'brand'],
    ['an empty bound', { binFrom: '', binTo: '411199' }, 'binFrom'],
  ])('refuses %s with the field, writing nothing', async (_label, fields, path) => {
    const { id: acquirerId, code } = await acquirer();
    const attempt = addBinRange({ actor: await operatorActor(), input: { acquirerId, brand: 'VISA', ...fields } });
    await expect(attempt).rejects.toMatchObject({ code: 'validation_failed', fields: expect.arrayContaining([expect.objectContaining({ path })]) });
    expect(await db().binRange.count({ where: { acquirerId } })).toBe(0);
    expect(await db().auditEvent.count({ where: { action: 'acquirer.bin_range_added', data: { path: ['acquirerCode'], equals: code } } })).toBe(0);
  });

  it('refuses the same range twice, an unknown acquirer, and anyone but the operator', async () => {
    const { id: acquirerId } = await acquirer();
    const actor = await operatorActor();
    const input = { acquirerId, brand: 'MASTER', binFrom: '51000000', binTo: '51999999' };
    await addBinRange({ actor, input });
    await expect(addBinRange({ actor, input })).rejects.toMatchObject({ code: 'conflict' });
    await expect(addBinRange({ actor, input: { ...input, acquirerId: randomUUID() } })).rejects.toMatchObject({ code: 'not_found' });
    await expect(addBinRange({ actor: { type: 'STORE_USER', id: randomUUID() }, input: { ...input, binFrom: '52000000', binTo: '52999999' } })).rejects.toMatchObject({ code: 'not_found' });
    const [range] = await db().binRange.findMany({ where: { acquirerId } });
    await expect(deleteBinRange({ actor: { type: 'POS_API_KEY', id: randomUUID() }, binRangeId: range!.id })).rejects.toMatchObject({ code: 'not_found' });
    expect(await db().binRange.count({ where: { acquirerId } })).toBe(1);
  });
});
