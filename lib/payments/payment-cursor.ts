import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/validation';

/**
 * The opaque cursor of keyset pages over payments, newest first: the (createdAt, id) of a page's last
 * payment, in base64url. Shared by the POS API's list and the console's, so both page the same way:
 * payments created in the same millisecond keep one order, and a page boundary between them neither
 * repeats nor skips one, whatever is inserted meanwhile.
 */
export function encodePaymentCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
}

/** The (createdAt, id) a cursor holds; anything ServerPOS did not give out is a validation error on `cursor`. */
export function decodePaymentCursor(cursor: string): { createdAt: Date; id: string } {
  const invalid = () => {
    const message = 'This cursor is not one ServerPOS gave out: pass the nextCursor of the previous page unchanged.';
    return new AppError('validation_failed', `cursor: ${message}`, [{ path: 'cursor', message }]);
  };
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'string' || typeof value[1] !== 'string' || !isUuid(value[1])) throw invalid();
  const createdAt = new Date(value[0]);
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== value[0]) throw invalid();
  return { createdAt, id: value[1].toLowerCase() };
}

/** The keyset condition for the page after `after`, in (createdAt, id) descending order. */
export function afterPaymentCursor(after: { createdAt: Date; id: string }) {
  return { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] };
}
