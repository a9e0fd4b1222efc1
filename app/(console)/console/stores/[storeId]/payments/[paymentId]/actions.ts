'use server';

import { revalidatePath } from 'next/cache';
import { requireStoreUser } from '@/lib/auth/current';
import { AppError } from '@/lib/errors';
import { formAction, formFields, type FormState } from '@/lib/http/form-state';
import { settlePayment, type SettlementKind } from '@/lib/payments/settle-payment';

function amountOf(value: string | undefined): bigint | undefined {
  const text = (value ?? '').trim();
  if (text === '') return undefined;
  if (!/^\d{1,12}$/.test(text)) throw new AppError('validation_failed', 'Check the amount.', [{ path: 'amount', message: 'Enter a whole number of minor units (e.g. yen), or leave it empty for all.' }]);
  return BigInt(text);
}

async function settleAction(kind: SettlementKind, formData: FormData): Promise<FormState> {
  const { storeId = '', paymentId = '', amount } = formFields(formData);
  const user = await requireStoreUser(storeId);
  return formAction(async () => {
    const parsed = kind === 'void' ? undefined : amountOf(amount);
    const result = await settlePayment(kind, { storeId, paymentId, actor: { type: 'STORE_USER', id: user.userId }, ...(parsed !== undefined ? { amount: parsed } : {}) });
    revalidatePath(`/console/stores/${storeId}/payments`, 'layout');
    if (result.result === 'succeeded') return { capture: 'Captured.', void: 'Voided.', refund: 'Refunded.' }[kind];
    if (result.result === 'queued') return 'Queued for this POS’s daily capture batch; it is sent to the acquirer with the others when the batch closes.';
    if (result.result === 'unknown') return 'The acquirer did not answer; the outcome will be checked. Look again in a moment.';
    throw new AppError('upstream_refused', `The acquirer refused: ${result.code}.`);
  });
}

export async function captureAction(_previous: FormState, formData: FormData) {
  return settleAction('capture', formData);
}
export async function voidAction(_previous: FormState, formData: FormData) {
  return settleAction('void', formData);
}
export async function refundAction(_previous: FormState, formData: FormData) {
  return settleAction('refund', formData);
}
