'use server';

import { revalidatePath } from 'next/cache';
import type { ApiKeyFormState } from '@/components/console/api-key-form-state';
import type { Actor } from '@/lib/audit/record-audit-event';
import { requireStoreUser } from '@/lib/auth/current';
import { formAction, formFields, type FormState } from '@/lib/http/form-state';
import { requestOrigin, type RequestOrigin } from '@/lib/http/request-origin';
import { addPosAcquirer } from '@/lib/pos/add-pos-acquirer';
import { createPos } from '@/lib/pos/create-pos';
import { createPosApiKey } from '@/lib/pos/create-pos-api-key';
import { removePosAcquirer } from '@/lib/pos/remove-pos-acquirer';
import { renamePos } from '@/lib/pos/rename-pos';
import { revokePosApiKey } from '@/lib/pos/revoke-pos-api-key';
import { rotatePosApiKey } from '@/lib/pos/rotate-pos-api-key';
import { setPosCaptureMode } from '@/lib/pos/set-pos-capture-mode';
import { setPosStatus } from '@/lib/pos/set-pos-status';

interface PosActionInput {
  storeId: string;
  actor: Actor;
  origin: RequestOrigin;
  values: Record<string, string>;
}

/** Resolves the store user for the store in the form (another store's id is "not found"), then runs the change. */
async function posAction(formData: FormData, body: (input: PosActionInput) => Promise<string>): Promise<FormState> {
  const { storeId = '', ...values } = formFields(formData);
  const user = await requireStoreUser(storeId);
  const origin = await requestOrigin();
  return formAction(async () => {
    const message = await body({ storeId, actor: { type: 'STORE_USER', id: user.userId }, origin, values });
    revalidatePath(`/console/stores/${storeId}/poses`);
    return message;
  }, values);
}

export async function createPosAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return posAction(formData, async ({ values, ...context }) => {
    const { name } = await createPos({ ...context, input: values });
    return `Added “${name}”. Now choose its acquirers and create an API key for it.`;
  });
}

export async function renamePosAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return posAction(formData, async ({ values, ...context }) => {
    const { name, changed } = await renamePos({ ...context, posId: values.posId ?? '', input: values });
    return changed ? `Renamed to “${name}”.` : 'The name is unchanged.';
  });
}

export async function setPosStatusAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return posAction(formData, async ({ values, ...context }) => {
    const { status } = await setPosStatus({ ...context, posId: values.posId ?? '', status: values.status });
    return status === 'DISABLED' ? 'Disabled. Its API keys are refused until you enable it again.' : 'Enabled. Its API keys work again.';
  });
}

export async function setCaptureModeAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return posAction(formData, async ({ values, ...context }) => {
    const { captureMode, changed } = await setPosCaptureMode({ ...context, posId: values.posId ?? '', captureMode: values.captureMode });
    if (!changed) return 'The capture mode is unchanged.';
    return captureMode === 'DAILY_BATCH'
      ? 'Captures are now queued and sent in one batch per acquirer each day. Captures already made are unaffected.'
      : 'Captures now go to the acquirer at once. Captures already queued still go out in the next daily batch.';
  });
}

export async function addPosAcquirerAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return posAction(formData, async ({ values, ...context }) => {
    const { acquirerName } = await addPosAcquirer({ ...context, posId: values.posId ?? '', contractId: values.contractId ?? '' });
    return `${acquirerName} added. Register this POS’s certificates with it on the certificates page.`;
  });
}

export async function removePosAcquirerAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return posAction(formData, async ({ values, ...context }) => {
    const { acquirerName } = await removePosAcquirer({ ...context, posId: values.posId ?? '', posAcquirerId: values.posAcquirerId ?? '' });
    return `${acquirerName} removed from this POS.`;
  });
}

export async function revokeApiKeyAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return posAction(formData, async ({ values, ...context }) => {
    const { prefix } = await revokePosApiKey({ ...context, posId: values.posId ?? '', apiKeyId: values.apiKeyId ?? '' });
    return `Key ${prefix} revoked. Requests with it are refused from now on.`;
  });
}

/** Creates (intent "create") or rotates (intent "rotate") a key; the new key comes back once, in this answer only. */
export async function apiKeyAction(_previous: ApiKeyFormState, formData: FormData): Promise<ApiKeyFormState> {
  let apiKey: string | undefined;
  const state = await posAction(formData, async ({ values, ...context }) => {
    const posId = values.posId ?? '';
    if (values.intent === 'rotate') {
      const rotated = await rotatePosApiKey({ ...context, posId, apiKeyId: values.apiKeyId ?? '' });
      apiKey = rotated.apiKey;
      return `New key for “${rotated.label}” created; the old key ${rotated.replacedPrefix} is revoked.`;
    }
    const created = await createPosApiKey({ ...context, posId, input: values });
    apiKey = created.apiKey;
    return `Key “${created.label}” created.`;
  });
  return state.status === 'ok' && apiKey ? { ...state, apiKey } : state;
}
