/**
 * lib/pki — the SET-style certificate hierarchy: keys, CSRs, issuance, CRLs
 * and chain validation. No framework imports; runs in Node and the browser.
 */
export { keyAlgorithms, type KeyAlgorithm, type KeyPurpose } from './algorithms';
export { base64Of, base64UrlOf, certificateKeyAlgorithm, certificateToBase64, fromBase64, parseCertificate, parseCertificateChainPem, parseCertificatePem, thumbprint } from './certificates';
export { createCrl, InMemoryCrlStore, MAX_CRL_BYTES, OnDemandCrlSource, parseCrl, type CrlSource, type RevokedEntry } from './crl';
export { createHierarchy, initialCrls, type BrandAuthorities, type Hierarchy } from './create-hierarchy';
export { createCsr, MAX_CSR_BYTES, verifyCsr, type VerifiedCsr } from './csr';
export { isPkiError, PkiError, pkiErrorCodes, type PkiErrorCode } from './errors';
export { exportPrivateKey, generateKeyPair, importPrivateKey, type GeneratedKeyPair } from './generate-key-pair';
export { caRoles, mayIssue, readIdentity, SET_IDENTITY_OID, type CertificateRole, type SetIdentity } from './identity';
export { createRootCertificate, issueCertificate, type CertificateAuthorityKey } from './issue-certificate';
export type { SubjectName } from './names';
export { ChainValidator, type ChainExpectation, type ValidatedCertificate } from './validate-chain';
export { x509 } from './x509';
