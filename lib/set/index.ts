/**
 * lib/set — the SET-style payment protocol spoken by the wallet, ServerPOS
 * (as each store's merchant POS), the acquirers' gateways and the CA.
 * Messages are JSON, signed as compact JWS with the signer's chain in `x5c` and
 * sealed as compact JWE to the recipient's key-exchange certificate. No framework imports:
 * the same code runs in Node and in the checkout page. See README.md.
 */
export { base64UrlOf, fromBase64Url, randomId, sameString, sha256, utf8 } from './encoding';
// The Node backend lives in './crypto/node' and is imported by server entry points only.
export { cryptoBackend, setCryptoBackend, webCryptoBackend, type CryptoBackend } from './crypto/backend';
export { checkEnvelope, DEFAULT_MAX_MESSAGE_BYTES, protectedHeaderOf, unseal, verifyCompact, verifySigned } from './envelope/open';
export { seal, SEALED_TYPE } from './envelope/seal';
export { signPayload, signWithBareKey, SIGNED_TYPE } from './envelope/sign';
export { isSetError, SetError, type SetErrorCode } from './errors';
export { checkTime, DEFAULT_MAX_SKEW_SECONDS, InMemoryReplayCache, type ReplayCache } from './freshness';
export { createKeyExchangeIdentity, createSigner, recipientFromSpki, recipientOf, verificationKey, type KeyExchangeIdentity, type Recipient, type Signer } from './keys';
export { messageTime, parseMessage, receiveSigned, receiveUnsigned, sendSigned, sendUnsigned, type Party, type Received } from './protocol';
export * from './schemas';
export * from './messages/purchase';
export * from './messages/gateway';
export * from './messages/certificate';
export * from './messages/error-message';
