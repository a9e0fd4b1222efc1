'use server';

import { revalidatePath } from 'next/cache';
import { requireStoreUser } from '@/lib/auth/current';
import { formAction, formFields, type FormState } from '@/lib/http/form-state';
import { requestOrigin } from '@/lib/http/request-origin';
import { dismissNotice } from '@/lib/notices/dismiss-notice';

export async function dismissNoticeAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { storeId = '', noticeId = '' } = formFields(formData);
  // The tenant check comes first: another store's id answers "not found" and changes nothing.
  const user = await requireStoreUser(storeId);
  const origin = await requestOrigin();
  return formAction(async () => {
    const dismissed = await dismissNotice({ storeId, storeUserId: user.userId, noticeId, origin });
    // The layout's banner lists the notices too: every page of the store is read again.
    revalidatePath(`/console/stores/${storeId}`, 'layout');
    return `Dismissed “${dismissed.title}” for your store.`;
  });
}
