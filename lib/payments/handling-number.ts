import { randomBytes } from 'node:crypto';

/** The single-use number the shop gets for an authorised payment instead of any card data. */
export function newHandlingNumber(): string {
  return `H-${randomBytes(12).toString('hex').toUpperCase()}`;
}
