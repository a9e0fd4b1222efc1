/**
 * The cardholder's wallet, as the checkout page runs it in the browser:
 * PInitReq → PInitRes (verified against the CA's root and CRLs) → PReq, with
 * the account data sealed to the acquirer's gateway → PRes (verified). Only
 * lib/set and lib/pki: no Node module, no server code.
 */
import { ChainValidator, OnDemandCrlSource, parseCertificate } from '@/lib/pki';
import { createPInitReq, createPReq, isSetError, openPInitRes, openPRes, type Party, type PaymentAccount, type Result } from '@/lib/set';
import type { WalletCustomer } from '@/lib/checkout/wallet-input';

/** The CA's root certificate and current CRLs, base64 DER, as the page hands them over. */
export interface WalletTrust {
  root: string;
  crls: string[];
}

/** A party that trusts exactly the CA root the server named and its CRLs (each parsed when a chain needs it). */
export function walletParty(trust: WalletTrust): Party {
  const crls = new OnDemandCrlSource(trust.crls.map((crl) => Uint8Array.from(atob(crl), (char) => char.charCodeAt(0))));
  return { validator: new ChainValidator({ trustAnchors: [parseCertificate(trust.root)], crls }) };
}

export type WalletOutcome =
  | {
      /** From the signed PRes the wallet verified (or, without one, what the answer said). */
      status: 'approved' | 'declined' | 'unknown' | 'failed';
      code: string;
      message: { en: string; ja: string };
      returnUrl: string;
    }
  | {
      /** Refused before any authorisation (4xx), or the wallet could not go on: nothing was charged. */
      status: 'error';
      code: string;
      message: string;
      /** Per-field problems the server found in the customer's details. */
      fields?: { path: string; message: string }[];
    };

const notConfirmed = {
  en: 'We could not confirm the payment yet. The shop will be told the result, and you will not be charged twice.',
  ja: 'お支払いの結果をまだ確認できません。結果はショップに通知され、二重に請求されることはありません。',
};

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; fields?: unknown };
}

async function postJson(fetcher: typeof fetch, url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetcher(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'omit', cache: 'no-store' });
  let json: unknown = null;
  try {
    json = await response.json();
  } catch {
    // A body that is not JSON is treated like no body.
  }
  return { status: response.status, json };
}

function errorOf(json: unknown, fallback: string): Extract<WalletOutcome, { status: 'error' }> {
  const error = (json as ErrorBody | null)?.error;
  const code = typeof error?.code === 'string' ? error.code : 'unexpected_answer';
  const message = typeof error?.message === 'string' ? error.message : fallback;
  const fields = Array.isArray(error?.fields) ? (error.fields as { path: string; message: string }[]) : undefined;
  return { status: 'error', code, message, ...(fields ? { fields } : {}) };
}

function statusOfResult(result: Result): 'approved' | 'declined' | 'unknown' | 'failed' {
  if (result.status === 'approved') return 'approved';
  if (result.status === 'declined') return 'declined';
  if (result.status === 'pending') return 'unknown';
  return 'failed';
}

/**
 * Runs one payment attempt. Every attempt starts from a new PInitReq (a new
 * transaction): a declined card is retried as a fresh payment, never by
 * re-sending a purchase request.
 */
export async function runWallet(input: {
  token: string;
  orderId: string;
  /** The order description exactly as the shop registered it: its hash goes into OI. */
  description: string;
  brand: string;
  account: PaymentAccount;
  customer: WalletCustomer;
  party: Party;
  /** For tests outside a browser; the page uses the global fetch on its own origin. */
  fetch?: typeof fetch;
  baseUrl?: string;
}): Promise<WalletOutcome> {
  const fetcher = input.fetch ?? globalThis.fetch.bind(globalThis);
  const base = `${input.baseUrl ?? ''}/api/checkout/${encodeURIComponent(input.token)}`;

  // The first six digits are all of the card that leaves the PI (PCI DSS allows them): ServerPOS routes the brand by them.
  const init = createPInitReq({ brand: input.brand, orderRef: input.orderId, ...(input.account.kind === 'card' ? { bin: input.account.pan.slice(0, 6) } : {}) });
  let started;
  try {
    started = await postJson(fetcher, `${base}/init`, { pinitReq: init.raw });
  } catch {
    return { status: 'error', code: 'network_error', message: 'The payment service could not be reached. Check your connection and try again; nothing was charged.' };
  }
  if (started.status !== 200) return errorOf(started.json, 'The payment could not be started. Nothing was charged; please try again.');
  const pinitRes = (started.json as { pinitRes?: unknown } | null)?.pinitRes;

  let opened;
  let preq;
  try {
    opened = await openPInitRes(pinitRes, { party: input.party, request: init.message });
    preq = await createPReq({ init: opened, request: init.message, orderDescription: input.description, account: input.account });
  } catch (error) {
    // The merchant's answer did not verify: the card data is not sealed to a gateway we cannot trust.
    if (isSetError(error)) return { status: 'error', code: error.code, message: "The shop's payment answer could not be verified, so your details were not sent. Nothing was charged." };
    throw error;
  }

  let paid;
  try {
    paid = await postJson(fetcher, `${base}/pay`, { preq: preq.raw, customer: input.customer });
  } catch {
    // The request may have reached the gateway: this is an unknown outcome, not a failure to retry.
    return { status: 'unknown', code: 'network_error', message: notConfirmed, returnUrl: '' };
  }
  if (paid.status >= 400 && paid.status < 500) return errorOf(paid.json, 'The payment was refused. Nothing was charged.');
  // 503 is what the server answers when the CA or a gateway's certificates could not be loaded: before any authorisation.
  if (paid.status === 503) return errorOf(paid.json, 'The payment service is busy. Nothing was charged; please try again.');
  const answer = paid.json as { status?: unknown; code?: unknown; message?: { en?: unknown; ja?: unknown }; pres?: unknown; returnUrl?: unknown } | null;
  const returnUrl = typeof answer?.returnUrl === 'string' ? answer.returnUrl : '';
  if (paid.status !== 200 || !answer) return { status: 'unknown', code: 'unexpected_answer', message: notConfirmed, returnUrl };

  // What the page shows comes from the merchant's signed PRes, not from the unsigned JSON around it.
  if (typeof answer.pres === 'string') {
    try {
      const pres = await openPRes(answer.pres, { party: input.party, preq: preq.message, oi: preq.oi, merchant: opened.merchant });
      const message = pres.result.message ?? (typeof answer.message?.en === 'string' && typeof answer.message.ja === 'string' ? { en: answer.message.en, ja: answer.message.ja } : { en: pres.result.code, ja: pres.result.code });
      const status = statusOfResult(pres.result);
      return { status, code: pres.result.code, message: status === 'unknown' ? notConfirmed : message, returnUrl };
    } catch (error) {
      if (!isSetError(error)) throw error;
      return { status: 'unknown', code: error.code, message: notConfirmed, returnUrl };
    }
  }
  // No signed result: nothing may be claimed as approved.
  const status = answer.status === 'declined' || answer.status === 'failed' ? answer.status : 'unknown';
  const message = status !== 'unknown' && typeof answer.message?.en === 'string' && typeof answer.message.ja === 'string' ? { en: answer.message.en, ja: answer.message.ja } : notConfirmed;
  return { status, code: typeof answer.code === 'string' ? answer.code : status, message, returnUrl };
}
