/**
 * The CA over HTTP. Public: its certificates and CRLs, and the CertReq
 * endpoint (the request is sealed to the CA service and signed by the key it
 * certifies). Partner-only (Bearer): gateway enrolment, revocation, the list
 * of what was issued.
 */
import { z } from 'zod';
import { certificateToBase64, ChainValidator, InMemoryCrlStore } from '@/lib/pki';
import { createCertRes, fromBase64Url, isSetError, openCertReq, InMemoryReplayCache, type Party } from '@/lib/set';
import { verifyCsr } from '@/lib/pki';
import { acquirerUrls, type SimConfig } from '../config';
import { listen, requireBearer, Router, SimHttpError, simLog } from '../shared/http';
import type { CertificateAuthority } from './authority';

const gatewayEnrolmentSchema = z.strictObject({
  acquirerId: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/),
  signatureCsr: z.string().max(8192),
  keyExchangePublicKey: z.string().max(4096).regex(/^[A-Za-z0-9_-]+$/),
});

const revokeSchema = z.strictObject({ serialNumber: z.string().regex(/^[0-9a-fA-F]{2,64}$/), reason: z.string().max(100).optional() });

export async function startCaServer(config: SimConfig, authority: CertificateAuthority, port = config.ca.port) {
  const crls = new InMemoryCrlStore();
  const party: Party = {
    validator: new ChainValidator({ trustAnchors: [authority.root], crls }),
    replayCache: new InMemoryReplayCache(),
  };
  const router = new Router();

  router.on('GET', '/health', async () => ({ json: { status: 'ok' } }));

  router.on('GET', '/ca/certificates', async () => ({
    json: {
      root: certificateToBase64(authority.root),
      authorities: authority.hierarchy.authorities.map((entry) => certificateToBase64(entry.certificate)),
      caService: { signature: authority.service.signer.x5c, keyExchange: authority.service.keyExchange.x5c },
    },
  }));

  router.on('GET', '/ca/crls', async () => {
    const current = await authority.currentCrls();
    return { json: { crls: current.map((crl) => Buffer.from(crl.rawData).toString('base64')), nextUpdate: current[0]?.nextUpdate?.toISOString() } };
  });

  router.on('POST', '/ca/cert-req', async (request) => {
    const raw = await request.text();
    let opened;
    try {
      opened = await openCertReq(raw, { party, ca: authority.service.keyExchange });
    } catch (error) {
      // Nothing can be sealed back to a requester whose request did not open.
      if (isSetError(error)) throw new SimHttpError(400, error.code, error.message);
      throw error;
    }
    const { requester } = opened.message;
    const reply = (code: string, en: string, ja: string) =>
      createCertRes({ request: opened, result: { status: 'declined', code, message: { en, ja } }, signer: authority.service.signer });
    const acquirer = config.acquirers.find((entry) => entry.id === requester.acquirerId);
    if (!acquirer || !acquirer.brands.includes(requester.brand)) {
      const answer = await reply('unknown_acquirer', 'The acquirer or brand is not known to this CA.', 'このCAではその加盟店契約会社またはブランドを扱っていません。');
      return { text: answer.raw, contentType: 'application/jose' };
    }
    // The acquisition number is the acquirer's to check, and it is spent by the check.
    const check = await fetch(`${acquirerUrls(acquirer).registry}/acquisition-numbers/redeem`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${config.partnerSecret}` },
      body: JSON.stringify({ merchantNumber: requester.merchantNumber, acquisitionNumber: opened.message.acquisitionNumber, posId: requester.posId }),
      signal: AbortSignal.timeout(10_000),
    }).catch(() => undefined);
    if (!check || !check.ok) {
      simLog('ca', 'certificate request refused', { acquirerId: requester.acquirerId, merchantNumber: requester.merchantNumber, status: check?.status ?? 'unreachable' });
      const answer = await reply('invalid_acquisition_number', 'The certificate acquisition number is not valid for this merchant.', '証明書取得番号がこの加盟店で有効ではありません。');
      return { text: answer.raw, contentType: 'application/jose' };
    }
    const identity = { role: 'merchant' as const, acquirerId: requester.acquirerId, merchantNumber: requester.merchantNumber, posId: requester.posId };
    const subject = opened.message.subject;
    const signatureChain = await authority.issue({ brand: requester.brand, identity: { ...identity, usage: 'signature' }, publicKey: opened.signaturePublicKey, subject });
    const keyExchangeChain = await authority.issue({ brand: requester.brand, identity: { ...identity, usage: 'keyExchange' }, publicKey: opened.keyExchangePublicKey, subject });
    simLog('ca', 'merchant certificates issued', { acquirerId: requester.acquirerId, merchantNumber: requester.merchantNumber, posId: requester.posId, serials: [signatureChain[0]!.serialNumber, keyExchangeChain[0]!.serialNumber] });
    const answer = await createCertRes({ request: opened, result: { status: 'approved', code: 'issued' }, signatureChain, keyExchangeChain, signer: authority.service.signer });
    return { text: answer.raw, contentType: 'application/jose' };
  });

  router.on('POST', '/ca/gateway-enrolment', async (request) => {
    requireBearer(request, config.partnerSecret);
    const body = gatewayEnrolmentSchema.safeParse(await request.json());
    if (!body.success) throw new SimHttpError(400, 'validation_failed', body.error.issues[0]?.message ?? 'invalid');
    const acquirer = config.acquirers.find((entry) => entry.id === body.data.acquirerId);
    if (!acquirer) throw new SimHttpError(404, 'not_found', 'No such acquirer in the config.');
    const csr = await verifyCsr(body.data.signatureCsr).catch(() => {
      throw new SimHttpError(400, 'csr_signature_invalid', 'The CSR does not verify.');
    });
    const brand = acquirer.brands[0]!;
    const identity = { role: 'gateway' as const, acquirerId: acquirer.id };
    const subject = { commonName: `${acquirer.name} Payment Gateway`, organization: acquirer.name };
    const signatureChain = await authority.issue({ brand, identity: { ...identity, usage: 'signature' }, publicKey: csr.publicKey, subject });
    const keyExchangeChain = await authority.issue({ brand, identity: { ...identity, usage: 'keyExchange' }, publicKey: fromBase64Url(body.data.keyExchangePublicKey), subject });
    simLog('ca', 'gateway certificates issued', { acquirerId: acquirer.id });
    return { json: { signatureChain: signatureChain.map(certificateToBase64), keyExchangeChain: keyExchangeChain.map(certificateToBase64) } };
  });

  router.on('POST', '/ca/revocations', async (request) => {
    requireBearer(request, config.partnerSecret);
    const body = revokeSchema.safeParse(await request.json());
    if (!body.success) throw new SimHttpError(400, 'validation_failed', 'Send { serialNumber (hex), reason? }.');
    if (!authority.revoke(body.data.serialNumber, body.data.reason)) throw new SimHttpError(404, 'not_found', 'This CA issued no certificate with that serial number.');
    simLog('ca', 'certificate revoked', { serialNumber: body.data.serialNumber.toLowerCase() });
    return { json: { status: 'revoked' } };
  });

  router.on('GET', '/ca/issued', async (request) => {
    requireBearer(request, config.partnerSecret);
    const merchantNumber = request.url.searchParams.get('merchantNumber') ?? undefined;
    const acquirerId = request.url.searchParams.get('acquirerId') ?? undefined;
    return { json: { certificates: authority.listIssued({ ...(merchantNumber ? { merchantNumber } : {}), ...(acquirerId ? { acquirerId } : {}) }).map(({ certificate: _certificate, ...entry }) => entry) } };
  });

  // Keep the CA's own view of its CRLs current, for validating what it receives.
  for (const crl of await authority.currentCrls()) crls.put(crl);
  const refresh = setInterval(() => {
    authority.currentCrls().then((current) => current.forEach((crl) => crls.put(crl)), () => undefined);
  }, 30_000);
  refresh.unref();

  const server = await listen(router, port, { onError: (error) => simLog('ca', 'handler failed', { error: error instanceof Error ? error.message : String(error) }) });
  return { ...server, close: async () => { clearInterval(refresh); await server.close(); } };
}
