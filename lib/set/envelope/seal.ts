import { CompactEncrypt } from 'jose';
import { utf8 } from '../encoding';
import type { Recipient } from '../keys';

/** Media type of a sealed SET message in the JWE `typ` header. */
export const SEALED_TYPE = 'set+jwe';

/**
 * Seals text for one recipient as a compact JWE (RSA-OAEP-256 or ECDH-ES key
 * transport, A256GCM content). `kid` names the recipient's key-exchange
 * certificate, so a party refuses at once what was sealed for someone else.
 */
export async function seal(plaintext: string, recipient: Recipient): Promise<string> {
  return new CompactEncrypt(utf8(plaintext))
    .setProtectedHeader({ alg: recipient.alg, enc: 'A256GCM', kid: recipient.kid, typ: SEALED_TYPE })
    .encrypt(recipient.publicKey);
}
