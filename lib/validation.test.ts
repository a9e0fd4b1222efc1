import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { EARLIEST_DAY, httpUrlProblem, isUuid, parseInput, utcDaySchema } from '@/lib/validation';

const schema = z.object({
  name: z.string().min(1, 'Enter a name.'),
  address: z.object({ city: z.string().min(1, 'Enter a city.') }),
  count: z.number().int(),
});

function failure(input: unknown, s: z.ZodType = schema): AppError {
  try {
    parseInput(s, input);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('parseInput accepted the input');
}

describe('parseInput', () => {
  it('returns the parsed value', () => {
    expect(parseInput(schema, { name: 'a', address: { city: 'b' }, count: 3, extra: true })).toEqual({ name: 'a', address: { city: 'b' }, count: 3 });
  });

  it('lists every wrong field, nested paths joined by dots', () => {
    const error = failure({ name: '', address: { city: '' }, count: 1.5 });
    expect(error.code).toBe('validation_failed');
    expect(error.status).toBe(400);
    expect(error.fields?.map((field) => field.path)).toEqual(['name', 'address.city', 'count']);
    expect(error.fields?.[0]).toEqual({ path: 'name', message: 'Enter a name.' });
    expect(error.message).toBe('3 fields are invalid');
  });

  it('names the one wrong field in the message', () => {
    const error = failure({ name: 'a', address: { city: '' }, count: 1 });
    expect(error.message).toBe('address.city: Enter a city.');
    expect(error.fields).toEqual([{ path: 'address.city', message: 'Enter a city.' }]);
  });

  it('calls a problem with the whole input "(body)"', () => {
    const error = failure('not an object');
    expect(error.fields).toHaveLength(1);
    expect(error.fields?.[0]?.path).toBe('(body)');
  });
});

describe('isUuid', () => {
  it('accepts canonical UUIDs in either case', () => {
    expect(isUuid('1b4e28ba-2fa1-11d2-883f-0016d3cca427')).toBe(true);
    expect(isUuid('1B4E28BA-2FA1-11D2-883F-0016D3CCA427')).toBe(true);
  });

  it.each(['', '-'.repeat(36), 'a'.repeat(36), '1b4e28ba2fa111d2883f0016d3cca427', '1b4e28ba-2fa1-11d2-883f-0016d3cca427 ', 'g'.repeat(8) + '-2fa1-11d2-883f-0016d3cca427', "1' OR '1'='1"])(
    'refuses %j',
    (value) => {
      expect(isUuid(value)).toBe(false);
    },
  );
});

describe('httpUrlProblem', () => {
  it('takes absolute http and https URLs', () => {
    for (const url of ['https://shop.example/thanks', 'http://127.0.0.1:7200/webhooks', 'https://例え.jp/戻る?order=1']) expect(httpUrlProblem(url)).toBeNull();
  });

  it('refuses relative URLs, other schemes and URLs carrying credentials, saying why', () => {
    expect(httpUrlProblem('/thanks')).toBe('Use an absolute URL starting with https:// or http://.');
    expect(httpUrlProblem('javascript:alert(1)')).toBe('Use an absolute URL starting with https:// or http://.');
    expect(httpUrlProblem('ftp://shop.example/')).toBe('Use an absolute URL starting with https:// or http://.');
    expect(httpUrlProblem('https://user:secret@shop.example/')).toBe('Leave user names and passwords out of the URL.');
  });
});

describe('utcDaySchema', () => {
  const day = utcDaySchema('from');

  it('takes real days from the earliest on', () => {
    for (const value of [EARLIEST_DAY, '2026-11-25', '2028-02-29', '9999-12-31']) expect(day.safeParse(value).success).toBe(true);
  });

  it.each([
    ['0000-01-01', 'Give from as a date from 2000-01-01 on.'],
    ['1999-12-31', 'Give from as a date from 2000-01-01 on.'],
    ['2026-02-30', 'Give from as a real date, e.g. 2026-11-25.'],
    ['2026-11-25T00:00:00Z', 'Give from as a date, e.g. 2026-11-25.'],
    ['+002026-11-25', 'Give from as a date, e.g. 2026-11-25.'],
  ])('refuses %j, saying why', (value, message) => {
    expect(day.safeParse(value).error?.issues.map((issue) => issue.message)).toContain(message);
  });
});
