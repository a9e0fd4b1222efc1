/**
 * The PInitReq's optional BIN: the card's leading digits the merchant routes by. Only 6 to 8 digits may
 * travel there; anything longer could be most of a card number and is refused, not trimmed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createPInitReq, InMemoryReplayCache, openPInitReq, type Party } from '@/lib/set';
import { createWorld, type World } from '@/lib/set/testing/world';

let world: World;
const merchant = (): Party => ({ ...world.party(), replayCache: new InMemoryReplayCache(world.clock) });

beforeAll(async () => {
  world = await createWorld({ algorithm: 'P-256', caAlgorithm: 'P-256' });
}, 60_000);

describe('PInitReq bin', () => {
  it('travels when given and is absent otherwise', async () => {
    const withBin = createPInitReq({ brand: 'VISA', orderRef: 'order-1001', bin: '411111', party: { clock: world.clock } });
    expect(JSON.parse(withBin.raw)).toMatchObject({ bin: '411111' });
    expect((await openPInitReq(withBin.raw, merchant())).bin).toBe('411111');

    const without = createPInitReq({ brand: 'BANK', orderRef: 'order-1001', party: { clock: world.clock } });
    expect('bin' in JSON.parse(without.raw)).toBe(false);
    expect((await openPInitReq(without.raw, merchant())).bin).toBeUndefined();
  });

  it.each([
    ['five digits', '41111'],
    ['nine digits', '411111111'],
    ['a whole card number', '4111111111111111'],
    ['letters', '41111a'],
  ])('refuses %s as invalid_message', async (_name, bin) => {
    const init = createPInitReq({ brand: 'VISA', orderRef: 'order-1001', bin, party: { clock: world.clock } });
    await expect(openPInitReq(init.raw, merchant())).rejects.toMatchObject({ code: 'invalid_message' });
  });
});
