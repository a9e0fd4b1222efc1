import { beforeAll, describe, expect, it } from 'vitest';
import {
  ChainValidator,
  createCrl,
  createHierarchy,
  generateKeyPair,
  initialCrls,
  InMemoryCrlStore,
  issueCertificate,
  OnDemandCrlSource,
  type Hierarchy,
  type x509,
} from '@/lib/pki';

const DAY = 86_400_000;

describe('ChainValidator', () => {
  let hierarchy: Hierarchy;
  let leaf: x509.X509Certificate;
  let chain: x509.X509Certificate[];
  const start = new Date(Date.now() - DAY);

  beforeAll(async () => {
    hierarchy = await createHierarchy({ brands: ['JCB'], notBefore: start, notAfter: new Date(Date.now() + 30 * DAY) });
    const keys = await generateKeyPair({ algorithm: 'P-256', purpose: 'signature' });
    const jcb = hierarchy.brands.JCB!;
    leaf = await issueCertificate({ issuer: jcb.merchantCa, publicKey: keys.publicKey, subject: { commonName: 'Shop' }, identity: { role: 'merchant', usage: 'signature', merchantNumber: 'M-1' }, notBefore: start, notAfter: new Date(Date.now() + 10 * DAY) });
    chain = [leaf, jcb.merchantCa.certificate, jcb.brandCa.certificate];
  });

  async function freshStore(nextUpdate = new Date(Date.now() + DAY)) {
    const store = new InMemoryCrlStore();
    for (const crl of await initialCrls(hierarchy, { thisUpdate: start, nextUpdate })) store.put(crl);
    return store;
  }

  it('accepts a chain with or without the root, and returns the leaf identity and thumbprint', async () => {
    const validator = new ChainValidator({ trustAnchors: [hierarchy.root.certificate], crls: await freshStore() });
    const withoutRoot = await validator.validate(chain, { usage: 'signature', roles: ['merchant'] });
    const withRoot = await validator.validate([...chain, hierarchy.root.certificate], { usage: 'signature' });
    expect(withoutRoot.identity).toEqual({ role: 'merchant', usage: 'signature', brand: 'JCB', merchantNumber: 'M-1' });
    expect(withRoot.thumbprint).toBe(withoutRoot.thumbprint);
  });

  it('checks every certificate against its issuer although it remembers the issuer keys and the good signatures', async () => {
    const validator = new ChainValidator({ trustAnchors: [hierarchy.root.certificate], crls: await freshStore() });
    await validator.validate(chain, { usage: 'signature' });
    // A second merchant of the same CA: its leaf is new, the CAs above it were seen, and it passes.
    const jcb = hierarchy.brands.JCB!;
    const sibling = await issueCertificate({
      issuer: jcb.merchantCa,
      publicKey: (await generateKeyPair({ algorithm: 'P-256', purpose: 'signature' })).publicKey,
      subject: { commonName: 'Other shop' },
      identity: { role: 'merchant', usage: 'signature', merchantNumber: 'M-2' },
      notBefore: start,
      notAfter: new Date(Date.now() + 10 * DAY),
    });
    await expect(validator.validate([sibling, jcb.merchantCa.certificate, jcb.brandCa.certificate], { usage: 'signature' })).resolves.toMatchObject({ identity: { merchantNumber: 'M-2' } });
    // A leaf naming the same merchant CA but signed by another hierarchy's key with the same names: refused.
    const impostor = await createHierarchy({ brands: ['JCB'], notBefore: start, notAfter: new Date(Date.now() + 30 * DAY) });
    expect(impostor.brands.JCB!.merchantCa.certificate.subject).toBe(jcb.merchantCa.certificate.subject);
    const forged = await issueCertificate({
      issuer: impostor.brands.JCB!.merchantCa,
      publicKey: (await generateKeyPair({ algorithm: 'P-256', purpose: 'signature' })).publicKey,
      subject: { commonName: 'Forged shop' },
      identity: { role: 'merchant', usage: 'signature', merchantNumber: 'M-3' },
      notBefore: start,
      notAfter: new Date(Date.now() + 10 * DAY),
    });
    await expect(validator.validate([forged, jcb.merchantCa.certificate, jcb.brandCa.certificate], { usage: 'signature' })).rejects.toMatchObject({ code: 'certificate_signature_invalid' });
  });

  it('with CRLs parsed on demand: parses only as far as the issuers asked for, and still finds a revocation', async () => {
    const crls = (await initialCrls(hierarchy, { thisUpdate: start, nextUpdate: new Date(Date.now() + DAY) })).map((crl) => new Uint8Array(crl.rawData));
    // A CRL that does not parse, after every real one: never reached, so never a problem.
    const garbage = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]);
    const onDemand = new ChainValidator({ trustAnchors: [hierarchy.root.certificate], crls: new OnDemandCrlSource([...crls, garbage]) });
    await expect(onDemand.validate(chain, { usage: 'signature' })).resolves.toMatchObject({ identity: { merchantNumber: 'M-1' } });
    // The same garbage first: the first lookup meets it and the validation fails with the CRL's problem.
    const broken = new ChainValidator({ trustAnchors: [hierarchy.root.certificate], crls: new OnDemandCrlSource([garbage, ...crls]) });
    await expect(broken.validate(chain, { usage: 'signature' })).rejects.toMatchObject({ code: 'malformed_crl' });
    // A newer CRL of the merchant CA that revokes the leaf, handed over after the older one: the newer wins.
    const revoking = await createCrl({ issuer: hierarchy.brands.JCB!.merchantCa, revoked: [{ serialNumber: leaf.serialNumber, revokedAt: new Date() }], nextUpdate: new Date(Date.now() + DAY) });
    const revoked = new ChainValidator({ trustAnchors: [hierarchy.root.certificate], crls: new OnDemandCrlSource([...crls.slice(0, 1), new Uint8Array(revoking.rawData), ...crls.slice(1)]) });
    await expect(revoked.validate(chain, { usage: 'signature' })).rejects.toMatchObject({ code: 'certificate_revoked' });
  });

  it('notices a revocation published after the chain was cached', async () => {
    const store = await freshStore();
    const validator = new ChainValidator({ trustAnchors: [hierarchy.root.certificate], crls: store });
    await validator.validate(chain, { usage: 'signature' });
    store.put(await createCrl({ issuer: hierarchy.brands.JCB!.merchantCa, revoked: [{ serialNumber: leaf.serialNumber, revokedAt: new Date() }], nextUpdate: new Date(Date.now() + DAY) }));
    await expect(validator.validate(chain, { usage: 'signature' })).rejects.toMatchObject({ code: 'certificate_revoked' });
  });

  it('keeps a newer CRL when an older one arrives late', async () => {
    const store = await freshStore();
    const merchantCa = hierarchy.brands.JCB!.merchantCa;
    // A minute apart: CRL times are whole seconds, so two CRLs made a second apart can land in the same second.
    const now = Date.now();
    const newer = await createCrl({ issuer: merchantCa, revoked: [{ serialNumber: leaf.serialNumber, revokedAt: new Date(now) }], thisUpdate: new Date(now), nextUpdate: new Date(now + DAY) });
    const older = await createCrl({ issuer: merchantCa, revoked: [], thisUpdate: new Date(now - 60_000), nextUpdate: new Date(now + DAY) });
    store.put(newer);
    store.put(older);
    expect(store.crlFor(merchantCa.certificate)).toBe(newer);
  });

  it('stops trusting a cached chain once the clock passes the CRL’s next update', async () => {
    let now = new Date();
    const validator = new ChainValidator({ trustAnchors: [hierarchy.root.certificate], crls: await freshStore(new Date(Date.now() + 60_000)), clock: () => now });
    await validator.validate(chain, { usage: 'signature' });
    now = new Date(Date.now() + 120_000);
    await expect(validator.validate(chain, { usage: 'signature' })).rejects.toMatchObject({ code: 'crl_stale' });
  });
});
