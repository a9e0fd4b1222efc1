/**
 * A new acquirer's gateway gets its keys and certificates: native key pairs,
 * a CSR for the signature key, and the CA's gateway enrolment (a partner
 * call; in the real world, a ceremony with the brand).
 */
import { base64UrlOf, createKeyExchangeIdentity, createSigner } from '@/lib/set';
import { createCsr, generateKeyPair, parseCertificate } from '@/lib/pki';
import { caUrl, type AcquirerConfig, type SimConfig } from '../config';
import type { GatewayKeyMaterial } from './keys-file';

export async function enrolGateway(config: SimConfig, acquirer: AcquirerConfig): Promise<GatewayKeyMaterial> {
  const algorithm = acquirer.keyAlgorithm;
  const [signature, keyExchange] = await Promise.all([
    generateKeyPair({ algorithm, purpose: 'signature', extractable: true }),
    generateKeyPair({ algorithm, purpose: 'keyExchange', extractable: true }),
  ]);
  const spki = new Uint8Array(await globalThis.crypto.subtle.exportKey('spki', keyExchange.publicKey));
  const response = await fetch(`${caUrl(config)}/ca/gateway-enrolment`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${config.partnerSecret}` },
    body: JSON.stringify({
      acquirerId: acquirer.id,
      signatureCsr: await createCsr({ keys: signature, subject: { commonName: `${acquirer.name} Payment Gateway`, organization: acquirer.name } }),
      keyExchangePublicKey: base64UrlOf(spki),
    }),
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) throw new Error(`the CA refused the gateway enrolment of ${acquirer.id}: HTTP ${response.status} ${await response.text()}`);
  const chains = (await response.json()) as { signatureChain: string[]; keyExchangeChain: string[] };
  return {
    signer: await createSigner(signature.privateKey, chains.signatureChain.map((entry) => parseCertificate(entry))),
    keyExchange: await createKeyExchangeIdentity(keyExchange.privateKey, chains.keyExchangeChain.map((entry) => parseCertificate(entry))),
  };
}
