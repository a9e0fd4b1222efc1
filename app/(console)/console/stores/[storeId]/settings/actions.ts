'use server';

import { revalidatePath } from 'next/cache';
import { describeFields } from '@/components/console/store-info-labels';
import { requireStoreUser } from '@/lib/auth/current';
import { formAction, formFields, type FormState } from '@/lib/http/form-state';
import { requestOrigin } from '@/lib/http/request-origin';
import { checkAcquirersForChanges } from '@/lib/stores/check-acquirers-for-changes';
import type { StoreInfoPullResult } from '@/lib/stores/pull-store-info';
import { updateStoreProfile } from '@/lib/stores/update-store-profile';

export async function updateStoreProfileAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { storeId = '', storeInfoVersion: formVersion, ...values } = formFields(formData);
  // The tenant check comes first: another store's id answers "not found" and changes nothing.
  const user = await requireStoreUser(storeId);
  const expectedVersion = formVersion && /^\d{1,9}$/.test(formVersion) ? Number(formVersion) : undefined;
  const state = await formAction(async () => {
    const { storeInfoVersion, infoChanged } = await updateStoreProfile({
      storeId,
      actor: { type: 'STORE_USER', id: user.userId },
      input: values,
      origin: await requestOrigin(),
      ...(expectedVersion === undefined ? {} : { expectedVersion }),
    });
    revalidatePath(`/console/stores/${storeId}`, 'layout');
    return infoChanged
      ? `Saved. This is version ${storeInfoVersion} of your store information; it is being sent to your acquirers.`
      : `Saved. Your store information is unchanged (version ${storeInfoVersion}), so nothing was sent to your acquirers.`;
  }, values);
  if (state.status === 'error' && state.code === 'conflict') {
    // Show the information as it is now, not what was typed over the older version.
    revalidatePath(`/console/stores/${storeId}`, 'layout');
    return { status: 'error', code: state.code, message: state.message, fields: state.fields };
  }
  return state;
}

function describePull(result: StoreInfoPullResult): string {
  switch (result.outcome) {
    case 'applied':
      return `${result.acquirerName}: had newer information (version ${result.storeInfoVersion})${result.changedFields?.length ? ` — ${describeFields(result.changedFields)}` : ''}. It is now yours.`;
    case 'unchanged':
      return `${result.acquirerName}: up to date.`;
    case 'conflict_resolved':
      return `${result.acquirerName}: had other information under the same version. Yours was kept and is being sent as version ${result.storeInfoVersion}.`;
    case 'acquirer_behind':
      return `${result.acquirerName}: has an older version; yours is being sent.`;
    case 'failed':
      return `${result.acquirerName}: could not be checked. ${result.error ?? ''}`.trim();
  }
}

/** Bound to the page's store id, so the form carries no second storeId field beside the profile form's. */
export async function checkAcquirersAction(storeId: string, _previous: FormState, _formData: FormData): Promise<FormState> {
  const user = await requireStoreUser(storeId);
  return formAction(async () => {
    const results = await checkAcquirersForChanges({ storeId, actor: { type: 'STORE_USER', id: user.userId } });
    revalidatePath(`/console/stores/${storeId}`, 'layout');
    if (results.length === 0) return 'You have no verified acquirer contract to check yet.';
    return [`Checked ${results.length} acquirer${results.length === 1 ? '' : 's'}.`, ...results.map(describePull)].join('\n');
  });
}
