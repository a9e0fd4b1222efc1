'use client';

import { useEffect, useMemo, useRef, useState, useSyncExternalStore, type FormEvent, type RefObject } from 'react';
import { formatMoney } from '@/components/format';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormField, fieldAria } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { Textarea } from '@/components/ui/textarea';
import { runWallet, walletParty, type WalletOutcome, type WalletTrust } from '@/lib/checkout/run-wallet';
import { accountKindOf, brandLabel, expiryYears, readWalletInput, type WalletFieldErrors, type WalletFields } from '@/lib/checkout/wallet-input';

export interface WalletProps {
  token: string;
  orderId: string;
  /** The order description as the shop registered it; the wallet hashes it into the order information. */
  description: string;
  /** Minor units. */
  amount: number;
  currency: string;
  brands: string[];
  trust: WalletTrust;
  /** Inside a shop's frame: the way back replaces the shop's page, not the frame. */
  embed?: boolean;
}

const REDIRECT_AFTER_MS = 3_000;

const emptyFields: WalletFields = { cardNumber: '', expiryMonth: '', expiryYear: '', securityCode: '', bankCode: '0001', accountNumber: '', pin: '', name: '', email: '', phone: '', address: '' };
const secretFields = { cardNumber: '', expiryMonth: '', expiryYear: '', securityCode: '', accountNumber: '', pin: '' } as const;
const months = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'];
const fieldOrder: (keyof WalletFields)[] = ['cardNumber', 'expiryMonth', 'expiryYear', 'securityCode', 'bankCode', 'accountNumber', 'pin', 'name', 'email', 'phone', 'address'];
const serverFieldNames: Record<string, keyof WalletFields> = { name: 'name', email: 'email', phone: 'phone', address: 'address' };

type Outcome = Exclude<WalletOutcome, { status: 'error' }>;

/**
 * The cardholder's wallet in the checkout page. The card number, expiry and
 * security code (or the bank account and PIN) are sealed in this browser to
 * the acquirer's gateway; the server receives them only inside that sealed
 * PI, and the fields are emptied once a payment has been sent.
 */
/** False in the server's HTML and while it hydrates, true once this page's script runs the wallet. */
function useWalletReady(): boolean {
  return useSyncExternalStore(
    () => () => {},
    () => true,
    () => false,
  );
}

export function Wallet(props: WalletProps) {
  // Until the wallet's script runs, the form takes no input and cannot be sent: what was typed before hydration
  // would be lost, and a browser's own submission of the form would put it in the URL. No field has a name
  // either (radio buttons excepted, which need one to be a group), so even that submission would carry nothing.
  const ready = useWalletReady();
  const party = useMemo(() => walletParty(props.trust), [props.trust]);
  const [brand, setBrand] = useState(props.brands[0] ?? '');
  const [fields, setFields] = useState<WalletFields>(emptyFields);
  const [errors, setErrors] = useState<WalletFieldErrors>({});
  const [working, setWorking] = useState(false);
  const [problem, setProblem] = useState<{ title: string; message: string; ja?: string } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const outcomeHeading = useRef<HTMLHeadingElement>(null);
  const problemBox = useRef<HTMLDivElement>(null);
  const kind = accountKindOf(brand);
  const total = formatMoney(BigInt(props.amount), props.currency);

  useEffect(() => {
    if (outcome) outcomeHeading.current?.focus();
  }, [outcome]);
  useEffect(() => {
    if (problem) problemBox.current?.focus();
  }, [problem]);
  useEffect(() => {
    if (outcome?.status !== 'approved' || !outcome.returnUrl) return;
    const returnUrl = outcome.returnUrl;
    const timer = setTimeout(() => leaveTo(returnUrl, props.embed === true), REDIRECT_AFTER_MS);
    return () => clearTimeout(timer);
  }, [outcome, props.embed]);

  const set = (name: keyof WalletFields) => (event: { target: { value: string } }) => setFields((current) => ({ ...current, [name]: event.target.value }));
  const aria = (id: keyof WalletFields, hint?: boolean) => fieldAria(id, { hint, error: errors[id] });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (working) return;
    setProblem(null);
    const input = readWalletInput(kind, fields);
    if (!input.ok) {
      setErrors(input.errors);
      const first = fieldOrder.find((name) => input.errors[name]);
      if (first) document.getElementById(first)?.focus();
      return;
    }
    setErrors({});
    setWorking(true);
    let result: WalletOutcome;
    try {
      result = await runWallet({ token: props.token, orderId: props.orderId, description: props.description, brand, account: input.account, customer: input.customer, party });
    } catch {
      result = { status: 'error', code: 'wallet_error', message: 'The payment could not be prepared in this browser. Nothing was charged; please try again.' };
    }
    // The card data has done its work: it is not kept in the page, whatever the outcome.
    setFields((current) => ({ ...current, ...secretFields }));
    setWorking(false);
    if (result.status === 'error') {
      const fieldErrors: WalletFieldErrors = {};
      for (const issue of result.fields ?? []) {
        const name = serverFieldNames[issue.path];
        if (name) fieldErrors[name] = issue.message;
      }
      setErrors(fieldErrors);
      setProblem({ title: 'The payment was not made', message: result.message });
    } else if (result.status === 'failed') {
      setProblem({ title: 'The payment was not made', message: result.message.en, ja: result.message.ja });
    } else {
      setOutcome(result);
    }
  }

  function tryAgain() {
    setOutcome(null);
    setProblem(null);
    setErrors({});
    setFields((current) => ({ ...current, ...secretFields }));
  }

  if (outcome) return <OutcomeView outcome={outcome} total={total} kind={kind} embed={props.embed === true} headingRef={outcomeHeading} onTryAgain={tryAgain} />;

  return (
    <form onSubmit={submit} noValidate className="space-y-6" aria-busy={working} data-testid="wallet">
      {problem ? (
        <div ref={problemBox} tabIndex={-1} className="outline-none">
          <Alert variant="error">
            <AlertTitle>{problem.title}</AlertTitle>
            <AlertDescription>
              <p>{problem.message}</p>
              {problem.ja && problem.ja !== problem.message ? <p lang="ja">{problem.ja}</p> : null}
            </AlertDescription>
          </Alert>
        </div>
      ) : null}

      <fieldset className="space-y-3" disabled={working || !ready}>
        <legend className="text-sm font-semibold text-slate-900">Payment method</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {props.brands.map((option) => (
            <label key={option} className="flex cursor-pointer items-center gap-3 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm has-[:checked]:border-brand-600 has-[:checked]:ring-2 has-[:checked]:ring-brand-500/30">
              <input type="radio" name="brand" value={option} checked={brand === option} onChange={() => setBrand(option)} className="h-4 w-4 accent-brand-600" />
              <span className="font-medium text-slate-900">{brandLabel(option)}</span>
            </label>
          ))}
        </div>
      </fieldset>

      <fieldset className="space-y-4" disabled={working || !ready}>
        <legend className="text-sm font-semibold text-slate-900">{kind === 'card' ? 'Card details' : 'Bank account'}</legend>
        {kind === 'card' ? (
          <>
            <FormField id="cardNumber" label="Card number" error={errors.cardNumber}>
              <Input id="cardNumber" inputMode="numeric" autoComplete="cc-number" maxLength={23} placeholder="1234 5678 9012 3456" value={fields.cardNumber} onChange={set('cardNumber')} {...aria('cardNumber')} />
            </FormField>
            <div className="grid grid-cols-3 gap-3">
              <FormField id="expiryMonth" label="Expiry month" error={errors.expiryMonth}>
                <Select id="expiryMonth" autoComplete="cc-exp-month" value={fields.expiryMonth} onChange={set('expiryMonth')} {...aria('expiryMonth')}>
                  <option value="">MM</option>
                  {months.map((month) => (
                    <option key={month} value={month}>
                      {month}
                    </option>
                  ))}
                </Select>
              </FormField>
              <FormField id="expiryYear" label="Expiry year" error={errors.expiryYear}>
                <Select id="expiryYear" autoComplete="cc-exp-year" value={fields.expiryYear} onChange={set('expiryYear')} {...aria('expiryYear')}>
                  <option value="">YYYY</option>
                  {expiryYears().map((year) => (
                    <option key={year} value={year}>
                      {year}
                    </option>
                  ))}
                </Select>
              </FormField>
              <FormField id="securityCode" label="Security code" hint="3 or 4 digits" error={errors.securityCode}>
                <Input id="securityCode" inputMode="numeric" autoComplete="cc-csc" maxLength={4} value={fields.securityCode} onChange={set('securityCode')} {...aria('securityCode', true)} />
              </FormField>
            </div>
          </>
        ) : (
          <>
            <FormField id="bankCode" label="Bank code" error={errors.bankCode}>
              <Input id="bankCode" inputMode="numeric" maxLength={4} value={fields.bankCode} onChange={set('bankCode')} {...aria('bankCode')} />
            </FormField>
            <FormField id="accountNumber" label="Account number" error={errors.accountNumber}>
              <Input id="accountNumber" inputMode="numeric" autoComplete="off" maxLength={16} value={fields.accountNumber} onChange={set('accountNumber')} {...aria('accountNumber')} />
            </FormField>
            <FormField id="pin" label="PIN" error={errors.pin}>
              <Input id="pin" type="password" inputMode="numeric" autoComplete="off" maxLength={6} value={fields.pin} onChange={set('pin')} {...aria('pin')} />
            </FormField>
          </>
        )}
      </fieldset>

      <fieldset className="space-y-4" disabled={working || !ready}>
        <legend className="text-sm font-semibold text-slate-900">Your details</legend>
        <FormField id="name" label="Full name" error={errors.name}>
          <Input id="name" autoComplete="name" maxLength={120} value={fields.name} onChange={set('name')} {...aria('name')} />
        </FormField>
        <FormField id="email" label="E-mail address" hint="The shop sends your receipt here." error={errors.email}>
          <Input id="email" type="email" autoComplete="email" maxLength={254} value={fields.email} onChange={set('email')} {...aria('email', true)} />
        </FormField>
        <FormField id="phone" label="Phone (optional)" error={errors.phone}>
          <Input id="phone" type="tel" autoComplete="tel" maxLength={40} value={fields.phone} onChange={set('phone')} {...aria('phone')} />
        </FormField>
        <FormField id="address" label="Shipping address (optional)" error={errors.address}>
          <Textarea id="address" autoComplete="street-address" rows={3} maxLength={500} value={fields.address} onChange={set('address')} {...aria('address')} />
        </FormField>
      </fieldset>

      <Button type="submit" size="lg" className="w-full" disabled={working || !ready}>
        {working ? 'Processing your payment…' : `Pay ${total}`}
      </Button>
      <p className="text-center text-xs text-slate-500">
        {kind === 'card' ? 'Your card details' : 'Your account details'} are encrypted in this browser for the {kind === 'card' ? 'card network' : 'bank'} only. Neither the shop nor ServerPOS can read them.
      </p>
    </form>
  );
}

/** Back to the shop; inside a frame, the shop's own page goes (a frame of another origin may be refused that, and keeps the link). */
function leaveTo(url: string, embed: boolean) {
  if (embed && window.top && window.top !== window) {
    try {
      window.top.location.href = url;
      return;
    } catch {
      // Not allowed from this frame: the link stays for the customer to use.
      return;
    }
  }
  window.location.assign(url);
}

function OutcomeView(props: { outcome: Outcome; total: string; kind: 'card' | 'bank'; embed: boolean; headingRef: RefObject<HTMLHeadingElement | null>; onTryAgain: () => void }) {
  const { outcome } = props;
  const target = props.embed ? '_top' : undefined;
  const returnLink = outcome.returnUrl ? (
    <a href={outcome.returnUrl} target={target} className="font-medium text-brand-700 underline underline-offset-2 hover:text-brand-800">
      Return to the shop
    </a>
  ) : null;
  const heading = (text: string) => (
    <h2 ref={props.headingRef} tabIndex={-1} className="text-xl font-semibold tracking-tight text-slate-900 outline-none">
      {text}
    </h2>
  );

  if (outcome.status === 'approved') {
    return (
      <section className="space-y-4" data-testid="checkout-outcome" data-status="approved">
        {heading('Payment complete')}
        <Alert variant="success">
          <AlertDescription>Your payment of {props.total} was approved. Thank you!</AlertDescription>
        </Alert>
        {returnLink ? (
          <p className="text-sm text-slate-700">
            {returnLink} <span className="text-slate-500">— taking you back in a few seconds…</span>
          </p>
        ) : null}
      </section>
    );
  }
  if (outcome.status === 'declined') {
    return (
      <section className="space-y-4" data-testid="checkout-outcome" data-status="declined">
        {heading('Payment declined')}
        <Alert variant="error">
          <AlertDescription>
            <p data-testid="decline-reason-en">{outcome.message.en}</p>
            <p lang="ja" data-testid="decline-reason-ja">
              {outcome.message.ja}
            </p>
          </AlertDescription>
        </Alert>
        <p className="text-sm text-slate-700">Nothing was charged. You can pay with {props.kind === 'card' ? 'another card' : 'another account'}, or go back to the shop.</p>
        <div className="flex flex-wrap items-center gap-4">
          <Button type="button" onClick={props.onTryAgain}>
            {props.kind === 'card' ? 'Try another card' : 'Try another account'}
          </Button>
          {returnLink}
        </div>
      </section>
    );
  }
  if (outcome.status === 'unknown') {
    return (
      <section className="space-y-4" data-testid="checkout-outcome" data-status="unknown">
        {heading('Payment not confirmed yet')}
        <Alert variant="warning">
          <AlertDescription>
            <p>{outcome.message.en}</p>
            <p lang="ja">{outcome.message.ja}</p>
          </AlertDescription>
        </Alert>
        <p className="text-sm text-slate-700">Please do not pay again. {returnLink ?? 'You can close this page.'}</p>
      </section>
    );
  }
  // 'failed' stays on the form with its message; this view is never reached for it.
  return null;
}
