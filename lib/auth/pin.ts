import { z } from 'zod';
import { hashPassword, verifyAgainstDummy, verifyPassword } from '@/lib/auth/password';

/**
 * The PIN a store registers for one acquirer contract: 4 to 8 digits. It is
 * short, so it is only ever checked together with the merchant number, behind
 * an e-mailed link and a lockout (password recovery), and stored like a
 * password: an argon2id verifier, never the digits.
 */
export const pinSchema = z
  .string({ error: 'Enter a PIN of 4 to 8 digits.' })
  .regex(/^[0-9]{4,8}$/, 'Enter a PIN of 4 to 8 digits.');

export function hashPin(pin: string): Promise<string> {
  return hashPassword(pin);
}

/** True when `pin` matches the stored verifier; false (never an exception) for anything else, including no verifier. */
export async function verifyPin(pinHash: string | null, pin: string): Promise<boolean> {
  // Without a stored PIN the check still costs what a real one does, so timing tells nothing.
  if (!pinHash) return verifyAgainstDummy(pin);
  return verifyPassword(pinHash, pin);
}
