import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { parseInput } from '@/lib/validation';

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
