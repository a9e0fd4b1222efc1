import '@/lib/crypto/use-native-crypto';
import { dbPool } from '@/lib/db/client';
import type { CertificateUsage, KeyAlgorithm as StoredKeyAlgorithm } from '@/lib/db/generated/prisma/enums';
import { sql, sqlOnPool } from '@/lib/db/sql';
import { AppError } from '@/lib/errors';
import { unwrapPrivateKey } from '@/lib/keys/vault';
import { importPrivateKey, parseCertificateChainPem, type KeyAlgorithm } from '@/lib/pki';
import { createKeyExchangeIdentity, createSigner, type MerchantKeys } from '@/lib/set';

const algorithmOf: Record<StoredKeyAlgorithm, KeyAlgorithm> = { RSA_2048: 'RSA-2048', RSA_3072: 'RSA-3072', EC_P256: 'P-256' };

/**
 * Unwrapped keys by certificate pair. A POS signs every authorization with the same keys, and unwrapping and
 * importing them costs more than the signature; a renewal makes new certificates, hence a new cache entry.
 * The keys live only in this process's memory, as non-extractable CryptoKeys.
 */
const cache = new Map<string, Promise<MerchantKeys>>();
const CACHE_LIMIT = 5_000;

export interface LoadedMerchantKeys {
  keys: MerchantKeys;
  /** The serving signature certificate's id and end of validity. */
  certificateId: string;
  notAfter: Date;
}

/**
 * The merchant keys of one POS × acquirer: its ACTIVE signature and key-exchange certificates with their
 * private keys. Refused with certificate_unavailable when either is missing or out of its validity.
 */
export async function loadMerchantKeys(posAcquirerId: string, now = new Date()): Promise<LoadedMerchantKeys> {
  // On the pool directly: every authorization reads these (lib/db/sql.ts).
  const rows = await sqlOnPool(dbPool()).rows<{
    id: string;
    usage: CertificateUsage;
    pem: string;
    notBefore: Date;
    notAfter: Date;
    keyPairId: string;
    algorithm: StoredKeyAlgorithm;
    encryptedPrivateKey: Uint8Array | null;
    masterKeyVersion: number;
  }>(sql`
    SELECT c."id", c."usage"::text AS "usage", c."pem", c."notBefore", c."notAfter",
           k."id" AS "keyPairId", k."algorithm"::text AS "algorithm", k."encryptedPrivateKey", k."masterKeyVersion"
      FROM "Certificate" c JOIN "KeyPair" k ON k."id" = c."keyPairId"
     WHERE c."posAcquirerId" = ${posAcquirerId}::uuid AND c."status" = 'ACTIVE'`);
  const certificates = rows.map(({ keyPairId, algorithm, encryptedPrivateKey, masterKeyVersion, ...certificate }) => ({
    ...certificate,
    keyPair: { id: keyPairId, algorithm, encryptedPrivateKey, masterKeyVersion },
  }));
  const signature = certificates.find((certificate) => certificate.usage === 'SIGNATURE');
  const keyExchange = certificates.find((certificate) => certificate.usage === 'KEY_EXCHANGE');
  if (!signature || !keyExchange) throw new AppError('certificate_unavailable', 'This POS has no certificate for this acquirer: register it under Certificates.');
  for (const certificate of [signature, keyExchange]) {
    if (certificate.notAfter <= now || certificate.notBefore > now) throw new AppError('certificate_unavailable', "This POS's certificate for this acquirer has expired: renew it under Certificates.");
    if (!certificate.keyPair.encryptedPrivateKey) throw new AppError('certificate_unavailable', "This POS's key for this acquirer was destroyed.");
  }
  const cacheKey = `${signature.id}:${keyExchange.id}`;
  let keys = cache.get(cacheKey);
  if (!keys) {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    const load = async (certificate: typeof signature, purpose: 'signature' | 'keyExchange') => {
      const pkcs8 = unwrapPrivateKey(certificate.keyPair.encryptedPrivateKey!, certificate.keyPair.masterKeyVersion, certificate.keyPair.id);
      try {
        return await importPrivateKey(pkcs8, algorithmOf[certificate.keyPair.algorithm], purpose, false);
      } finally {
        pkcs8.fill(0);
      }
    };
    keys = (async () => ({
      signer: await createSigner(await load(signature, 'signature'), parseCertificateChainPem(signature.pem)),
      keyExchange: await createKeyExchangeIdentity(await load(keyExchange, 'keyExchange'), parseCertificateChainPem(keyExchange.pem)),
    }))();
    keys.catch(() => cache.delete(cacheKey));
    cache.set(cacheKey, keys);
  }
  return { keys: await keys, certificateId: signature.id, notAfter: signature.notAfter < keyExchange.notAfter ? signature.notAfter : keyExchange.notAfter };
}
