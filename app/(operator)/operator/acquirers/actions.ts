'use server';

import { revalidatePath } from 'next/cache';
import type { CredentialFormState } from '@/components/operator/credential-form-state';
import { addBinRange } from '@/lib/acquirers/add-bin-range';
import { createAcquirer } from '@/lib/acquirers/create-acquirer';
import { deleteBinRange } from '@/lib/acquirers/delete-bin-range';
import { issueApiCredential } from '@/lib/acquirers/issue-api-credential';
import { revokeApiCredential } from '@/lib/acquirers/revoke-api-credential';
import { rotateApiCredential } from '@/lib/acquirers/rotate-api-credential';
import { updateAcquirer } from '@/lib/acquirers/update-acquirer';
import { requireOperator } from '@/lib/auth/current';
import { AppError } from '@/lib/errors';
import { formAction, formFields, formList, type FormState } from '@/lib/http/form-state';
import { requestOrigin } from '@/lib/http/request-origin';

/** The acquirer form's fields, with every ticked brand (formFields keeps one value per name). */
function acquirerFields(formData: FormData): { input: Record<string, unknown>; values: Record<string, string> } {
  const values = formFields(formData);
  const brands = formList(formData, 'brands');
  return { input: { ...values, brands }, values: { ...values, brands: brands.join(',') } };
}

export async function createAcquirerAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const operator = await requireOperator();
  const { input, values } = acquirerFields(formData);
  const origin = await requestOrigin();
  return formAction(async () => {
    const acquirer = await createAcquirer({ actor: { type: 'OPERATOR', id: operator.userId }, input, origin });
    revalidatePath('/operator/acquirers', 'layout');
    return `Added ${acquirer.name} (${acquirer.code}). Open it to add BIN ranges and issue API credentials.`;
  }, values);
}

export async function updateAcquirerAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const operator = await requireOperator();
  const { input, values } = acquirerFields(formData);
  const origin = await requestOrigin();
  return formAction(async () => {
    const result = await updateAcquirer({ actor: { type: 'OPERATOR', id: operator.userId }, acquirerId: values.acquirerId ?? '', input, origin });
    revalidatePath('/operator/acquirers', 'layout');
    return result.changedFields.length === 0 ? 'Nothing changed.' : `Saved ${result.name}.`;
  }, values);
}

export async function addBinRangeAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const operator = await requireOperator();
  const values = formFields(formData);
  const origin = await requestOrigin();
  return formAction(async () => {
    const range = await addBinRange({ actor: { type: 'OPERATOR', id: operator.userId }, input: values, origin });
    revalidatePath('/operator/acquirers', 'layout');
    return `Added ${range.brand} ${range.binFrom}–${range.binTo} for ${range.acquirerName}. Checkouts route such cards there from now on.`;
  }, values);
}

export async function deleteBinRangeAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const operator = await requireOperator();
  const { binRangeId = '' } = formFields(formData);
  const origin = await requestOrigin();
  return formAction(async () => {
    const range = await deleteBinRange({ actor: { type: 'OPERATOR', id: operator.userId }, binRangeId, origin });
    revalidatePath('/operator/acquirers', 'layout');
    return `Deleted ${range.brand} ${range.binFrom}–${range.binTo} of ${range.acquirerName}.`;
  });
}

/**
 * Issues or rotates an acquirer API credential. The secret goes back only in this answer, to be shown once:
 * never in a redirect URL, a log line or the audit event.
 */
export async function credentialAction(_previous: CredentialFormState, formData: FormData): Promise<CredentialFormState> {
  const operator = await requireOperator();
  const { intent = '', acquirerId = '', credentialId = '', label = '' } = formFields(formData);
  const actor = { type: 'OPERATOR' as const, id: operator.userId };
  const origin = await requestOrigin();
  const answer: { issued?: { credentialId: string; secret: string } } = {};
  const state = await formAction(async () => {
    if (intent === 'rotate') {
      const rotated = await rotateApiCredential({ actor, credentialId, origin });
      answer.issued = { credentialId: rotated.credentialId, secret: rotated.secret };
      revalidatePath(`/operator/acquirers/${acquirerId}`);
      return `Rotated: new credential ${rotated.credentialId}. The old one keeps working until ${rotated.oldExpiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.`;
    }
    if (intent !== 'issue') throw new AppError('validation_failed', 'Unknown request.');
    const created = await issueApiCredential({ actor, acquirerId, label, origin });
    answer.issued = { credentialId: created.credentialId, secret: created.secret };
    revalidatePath(`/operator/acquirers/${acquirerId}`);
    return `Issued credential ${created.credentialId}.`;
  });
  return state.status === 'ok' && answer.issued ? { ...state, ...answer.issued } : state;
}

export async function revokeCredentialAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const operator = await requireOperator();
  const { acquirerId = '', credentialId = '', confirm = '' } = formFields(formData);
  const origin = await requestOrigin();
  return formAction(async () => {
    if (confirm !== 'on') throw new AppError('validation_failed', 'Tick the box to confirm: the credential stops working at once.');
    const { revoked } = await revokeApiCredential({ actor: { type: 'OPERATOR', id: operator.userId }, credentialId, origin });
    revalidatePath(`/operator/acquirers/${acquirerId}`);
    return revoked ? `Revoked ${credentialId}.` : `${credentialId} was already revoked.`;
  });
}
