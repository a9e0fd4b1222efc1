'use server';

import { revalidatePath } from 'next/cache';
import { requireStoreUser } from '@/lib/auth/current';
import { deletePosCertificates } from '@/lib/certificates/delete-pos-certificates';
import { issuePosCertificates } from '@/lib/certificates/issue-pos-certificates';
import { retryFailedRenewals, startRenewalRun } from '@/lib/certificates/start-renewal-run';
import { AppError } from '@/lib/errors';
import { formAction, formFields, type FormState } from '@/lib/http/form-state';
import { requestOrigin, type RequestOrigin } from '@/lib/http/request-origin';

/** Resolves the store user once (another store's id answers "not found" and changes nothing), then runs the action. */
async function certificateAction(formData: FormData, body: (input: { storeId: string; userId: string; values: Record<string, string>; origin: RequestOrigin }) => Promise<string>): Promise<FormState> {
  const { storeId = '', ...values } = formFields(formData);
  const user = await requireStoreUser(storeId);
  const origin = await requestOrigin();
  return formAction(async () => {
    const message = await body({ storeId, userId: user.userId, values, origin });
    revalidatePath(`/console/stores/${storeId}`, 'layout');
    return message;
  }, values);
}

export async function registerPosAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return certificateAction(formData, async ({ storeId, userId, values, origin }) => {
    const result = await issuePosCertificates({
      storeId,
      posAcquirerId: values.posAcquirerId ?? '',
      actor: { type: 'STORE_USER', id: userId }, origin,
      ...(values.acquisitionNumber ? { acquisitionNumber: values.acquisitionNumber } : {}),
    });
    return result.renewed ? 'Renewed: new certificates are in use.' : 'Registered: the POS has its certificates for this acquirer.';
  });
}

export async function renewPosAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return certificateAction(formData, async ({ storeId, userId, values, origin }) => {
    await issuePosCertificates({ storeId, posAcquirerId: values.posAcquirerId ?? '', actor: { type: 'STORE_USER', id: userId }, origin });
    return 'Renewed: new certificates are in use.';
  });
}

export async function deletePosCertificatesAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return certificateAction(formData, async ({ storeId, userId, values, origin }) => {
    if (values.confirm !== 'on') throw new AppError('validation_failed', 'Tick the box to confirm that this POS stops using these certificates.');
    const { deleted } = await deletePosCertificates({ storeId, posAcquirerId: values.posAcquirerId ?? '', actor: { type: 'STORE_USER', id: userId }, origin });
    return `Deleted ${deleted} certificates; they are being revoked.`;
  });
}

export async function renewAllAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return certificateAction(formData, async ({ storeId, userId, values, origin }) => {
    const { alreadyRunning } = await startRenewalRun({ storeId, actor: { type: 'STORE_USER', id: userId }, origin, ...(values.posId ? { posId: values.posId } : {}) });
    return alreadyRunning ? 'A renewal is already running; its progress is shown above.' : 'Renewal started; its progress is shown above.';
  });
}

export async function retryRenewalAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return certificateAction(formData, async ({ storeId, userId, values, origin }) => {
    await retryFailedRenewals({ storeId, runId: values.runId ?? '', actor: { type: 'STORE_USER', id: userId }, origin });
    return 'Retrying the certificates that failed.';
  });
}
