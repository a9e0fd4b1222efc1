import { z } from 'zod';

/**
 * The shape of every SET message, shared by builders and verifiers. Objects
 * are strict: an unknown field is refused, not ignored.
 */

/** XID, RRPID, challenges: 128-bit random values in base64url. */
export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'an id is 16–64 base64url characters');
export const identifierSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'a short identifier');
export const brandSchema = z.string().regex(/^[A-Z][A-Z0-9_]{1,19}$/, 'a brand such as VISA');
export const timeSchema = z.iso.datetime({ offset: true });
export const hashSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a SHA-256 hash in base64url');
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code');
/** Amounts are integer minor units (JPY has none), up to 10^12. */
export const amountSchema = z.strictObject({ value: z.number().int().positive().max(1e12), currency: currencySchema });
export const nonNegativeAmountSchema = z.strictObject({ value: z.number().int().min(0).max(1e12), currency: currencySchema });
export const x5cSchema = z.array(z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/).max(8192)).min(1).max(5);
export const compactJoseSchema = z.string().max(48 * 1024).regex(/^[A-Za-z0-9_.-]+$/);
export const merchantRefSchema = z.strictObject({ acquirerId: identifierSchema, merchantNumber: identifierSchema, posId: identifierSchema.optional() });
const codeSchema = z.string().regex(/^[a-z][a-z0-9_]{1,63}$/);
const textSchema = z.string().max(500);

const base = { v: z.literal(1), rrpid: idSchema, time: timeSchema };

// Purchase: wallet ⇄ merchant --------------------------------------------------

export const pInitReqSchema = z.strictObject({
  msg: z.literal('PInitReq'),
  ...base,
  lidC: idSchema,
  challC: idSchema,
  brand: brandSchema,
  orderRef: identifierSchema,
  /**
   * The card's leading digits (its BIN, 6 to 8), for the merchant to choose among acquirers that take the
   * brand. Optional: a bank transfer has none, and a merchant routes without it. PCI DSS lets the first six
   * digits leave the card; the rest of the number stays inside PI, sealed to the gateway.
   */
  bin: z.string().regex(/^[0-9]{6,8}$/, 'a BIN is 6 to 8 digits').optional(),
});

export const pInitResSchema = z.strictObject({
  msg: z.literal('PInitRes'),
  ...base,
  lidC: idSchema,
  xid: idSchema,
  challC: idSchema,
  challM: idSchema,
  brand: brandSchema,
  /** The order this purchase pays, echoed from PInitReq; OI must name it too. */
  orderRef: identifierSchema,
  amount: amountSchema,
  merchant: merchantRefSchema,
  /** The gateway's key-exchange chain: the wallet seals PI to it. */
  gatewayKeyExchange: x5cSchema,
});

/** Order information: what the merchant may read. */
export const orderInformationSchema = z.strictObject({
  xid: idSchema,
  lidC: idSchema,
  challC: idSchema,
  challM: idSchema,
  brand: brandSchema,
  orderRef: identifierSchema,
  amount: amountSchema,
  /** Hash of the order description the cardholder agreed to. */
  odHash: hashSchema,
});

const cardSchema = z.strictObject({
  kind: z.literal('card'),
  pan: z.string().regex(/^[0-9]{12,19}$/),
  expiry: z.string().regex(/^[0-9]{4}-(0[1-9]|1[0-2])$/),
  cvc: z.string().regex(/^[0-9]{3,4}$/),
});
const bankAccountSchema = z.strictObject({
  kind: z.literal('bank'),
  bankCode: z.string().regex(/^[0-9]{4}$/),
  accountNumber: z.string().regex(/^[0-9]{7,14}$/),
  pin: z.string().regex(/^[0-9]{4,6}$/),
});
export const paymentAccountSchema = z.discriminatedUnion('kind', [cardSchema, bankAccountSchema]);

/** Payment instructions: only the gateway may read them; they carry the account data. */
export const paymentInstructionsSchema = z.strictObject({
  xid: idSchema,
  amount: amountSchema,
  brand: brandSchema,
  merchant: merchantRefSchema,
  /** `x5t#S256` of the gateway key-exchange certificate the PI is sealed to. */
  gateway: hashSchema,
  /** Binds PI to OI for cardholders without a certificate (and is signed over too when they have one). */
  oiHash: hashSchema,
  /**
   * With a dual signature: the `x5t#S256` of the cardholder certificate that
   * signs it. Sealed inside PI, it ties the dual signature to this PI, so nobody
   * on the way can swap in a dual signature of their own, or strip it.
   */
  cardholder: hashSchema.optional(),
  account: paymentAccountSchema,
});

export const pReqSchema = z.strictObject({
  msg: z.literal('PReq'),
  ...base,
  xid: idSchema,
  /** OI as the exact bytes the cardholder hashed, base64url. */
  oi: z.string().max(8192).regex(/^[A-Za-z0-9_-]+$/),
  /** PI sealed to the gateway (compact JWE). */
  pi: compactJoseSchema,
  /** Present with a cardholder certificate: hash of the PI plaintext and the dual signature over (OI hash, PI hash). */
  piHash: hashSchema.optional(),
  dualSignature: compactJoseSchema.optional(),
});

export const resultSchema = z.strictObject({
  status: z.enum(['approved', 'declined', 'pending', 'error']),
  code: codeSchema,
  authCode: z.string().regex(/^[A-Z0-9]{6}$/).optional(),
  message: z.strictObject({ en: textSchema, ja: textSchema }).optional(),
});

export const pResSchema = z.strictObject({ msg: z.literal('PRes'), ...base, xid: idSchema, lidC: idSchema, challC: idSchema, result: resultSchema });

// Payment gateway: merchant ⇄ gateway ------------------------------------------

const gatewayRequestBase = {
  ...base,
  /** The merchant's key-exchange chain: the gateway seals its answer to it. */
  merchantKeyExchange: x5cSchema,
};

export const authReqSchema = z.strictObject({
  msg: z.literal('AuthReq'),
  ...gatewayRequestBase,
  xid: idSchema,
  amount: amountSchema,
  oiHash: hashSchema,
  pi: compactJoseSchema,
  dualSignature: compactJoseSchema.optional(),
  captureNow: z.boolean(),
  /** The store-information version the merchant holds; the gateway answers with newer information when it has it. */
  storeInfoVersion: z.number().int().min(0).max(1e9).optional(),
});

export const storeInfoSchema = z.strictObject({
  version: z.number().int().min(0).max(1e9),
  name: z.string().min(1).max(120),
  status: z.enum(['active', 'suspended', 'withdrawn']),
});

export const authResSchema = z.strictObject({
  msg: z.literal('AuthRes'),
  ...base,
  xid: idSchema,
  amount: amountSchema,
  result: resultSchema,
  captured: z.boolean(),
  storeInfo: storeInfoSchema.optional(),
});

export const captureItemSchema = z.strictObject({ xid: idSchema, captureId: idSchema, authCode: z.string().regex(/^[A-Z0-9]{6}$/), amount: amountSchema });
export const capReqSchema = z.strictObject({ msg: z.literal('CapReq'), ...gatewayRequestBase, batchId: idSchema, items: z.array(captureItemSchema).min(1).max(500) });
export const capResSchema = z.strictObject({
  msg: z.literal('CapRes'),
  ...base,
  batchId: idSchema,
  items: z.array(z.strictObject({ xid: idSchema, captureId: idSchema, result: resultSchema })).max(500),
});

export const authRevReqSchema = z.strictObject({ msg: z.literal('AuthRevReq'), ...gatewayRequestBase, xid: idSchema, authCode: z.string().regex(/^[A-Z0-9]{6}$/), newAmount: nonNegativeAmountSchema });
export const authRevResSchema = z.strictObject({ msg: z.literal('AuthRevRes'), ...base, xid: idSchema, result: resultSchema, authorizedAmount: nonNegativeAmountSchema });

export const credReqSchema = z.strictObject({ msg: z.literal('CredReq'), ...gatewayRequestBase, xid: idSchema, creditId: idSchema, amount: amountSchema });
export const credResSchema = z.strictObject({ msg: z.literal('CredRes'), ...base, xid: idSchema, creditId: idSchema, result: resultSchema, creditedTotal: nonNegativeAmountSchema });

export const inqReqSchema = z.strictObject({ msg: z.literal('InqReq'), ...gatewayRequestBase, xid: idSchema });
export const inqResSchema = z.strictObject({
  msg: z.literal('InqRes'),
  ...base,
  xid: idSchema,
  state: z.enum(['unknown', 'authorized', 'declined', 'captured', 'reversed', 'credited']),
  lastResult: resultSchema.optional(),
  authorized: nonNegativeAmountSchema.optional(),
  captured: nonNegativeAmountSchema.optional(),
  credited: nonNegativeAmountSchema.optional(),
});

// Certificates: POS ⇄ CA ---------------------------------------------------------

export const certReqSchema = z.strictObject({
  msg: z.literal('CertReq'),
  ...base,
  /** The one-time certificate acquisition number the acquirer gave the store. */
  acquisitionNumber: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
  requester: z.strictObject({ acquirerId: identifierSchema, merchantNumber: identifierSchema, posId: identifierSchema, brand: brandSchema }),
  subject: z.strictObject({ commonName: z.string().min(1).max(64), organization: z.string().min(1).max(64).optional() }),
  signatureCsr: z.string().max(8192),
  /** SPKI DER of the new key-exchange key, base64url; CertRes is sealed to it (proof of possession). */
  keyExchangePublicKey: z.string().max(4096).regex(/^[A-Za-z0-9_-]+$/),
});

export const certResSchema = z.strictObject({
  msg: z.literal('CertRes'),
  ...base,
  result: resultSchema,
  signatureChain: x5cSchema.optional(),
  keyExchangeChain: x5cSchema.optional(),
});

// Errors -----------------------------------------------------------------------

export const errorMessageSchema = z.strictObject({
  msg: z.literal('Error'),
  ...base,
  /** The message type that was refused, when it could be read. */
  about: z.string().max(20).optional(),
  xid: idSchema.optional(),
  code: codeSchema,
  message: textSchema,
});

export const messageSchemas = {
  PInitReq: pInitReqSchema,
  PInitRes: pInitResSchema,
  PReq: pReqSchema,
  PRes: pResSchema,
  AuthReq: authReqSchema,
  AuthRes: authResSchema,
  CapReq: capReqSchema,
  CapRes: capResSchema,
  AuthRevReq: authRevReqSchema,
  AuthRevRes: authRevResSchema,
  CredReq: credReqSchema,
  CredRes: credResSchema,
  InqReq: inqReqSchema,
  InqRes: inqResSchema,
  CertReq: certReqSchema,
  CertRes: certResSchema,
  Error: errorMessageSchema,
} as const;

export type MessageType = keyof typeof messageSchemas;
export type MessageOf<K extends MessageType> = z.infer<(typeof messageSchemas)[K]>;
export type OrderInformation = z.infer<typeof orderInformationSchema>;
export type PaymentInstructions = z.infer<typeof paymentInstructionsSchema>;
export type PaymentAccount = z.infer<typeof paymentAccountSchema>;
export type Amount = z.infer<typeof amountSchema>;
export type MerchantRef = z.infer<typeof merchantRefSchema>;
export type Result = z.infer<typeof resultSchema>;
export type StoreInfo = z.infer<typeof storeInfoSchema>;
