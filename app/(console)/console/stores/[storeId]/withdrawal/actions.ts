'use server';

import { revalidatePath } from 'next/cache';
import { confirmCurrentPassword } from '@/lib/auth/confirm-current-password';
import { requireStoreUser } from '@/lib/auth/current';
import { AppError } from '@/lib/errors';
import { formAction, formFields, type FormState } from '@/lib/http/form-state';
import { requestOrigin } from '@/lib/http/request-origin';
import { withdrawFromAcquirers } from '@/lib/stores/withdraw-from-acquirers';

export async function withdrawAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { storeId = '', password = '', scope = '', confirm = '', ...rest } = formFields(formData);
  const user = await requireStoreUser(storeId);
  const origin = await requestOrigin();
  return formAction(async () => {
    // Each chosen acquirer arrives as its own checkbox, `acquirer.<id>`.
    const chosen = Object.keys(rest)
      .filter((name) => name.startsWith('acquirer.') && rest[name] === 'on')
      .map((name) => name.slice('acquirer.'.length));
    if (confirm !== 'on') throw new AppError('validation_failed', 'Tick the box to confirm the withdrawal.', [{ path: 'confirm', message: 'Confirm that you understand what withdrawal does.' }]);
    await confirmCurrentPassword({ storeUserId: user.userId, password, field: 'password' });
    const result = await withdrawFromAcquirers({ storeId, actor: { type: 'STORE_USER', id: user.userId }, acquirers: scope === 'all' ? 'all' : chosen, origin });
    revalidatePath(`/console/stores/${storeId}`, 'layout');
    return result.closesStore
      ? `Withdrawal requested from ${result.contracts === 1 ? 'your last acquirer' : `all ${result.contracts} acquirers`}. Each acquirer confirms it; your store closes when the last one has.`
      : `Withdrawal from ${result.contracts} acquirer${result.contracts === 1 ? '' : 's'} requested; waiting for confirmation.`;
  });
}
