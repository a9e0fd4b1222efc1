'use server';

import { revalidatePath } from 'next/cache';
import { formatDateTime } from '@/components/format';
import { requireOperator } from '@/lib/auth/current';
import { formAction, formFields, formList, type FormState } from '@/lib/http/form-state';
import { requestOrigin } from '@/lib/http/request-origin';
import { publishNotice } from '@/lib/notices/publish-notice';
import { withdrawNotice } from '@/lib/notices/withdraw-notice';

export async function publishNoticeAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const operator = await requireOperator();
  const values = formFields(formData);
  // Checkboxes send one value each under one name; formFields keeps only the last.
  const acquirerIds = formList(formData, 'acquirerIds');
  const origin = await requestOrigin();
  return formAction(
    async () => {
      const notice = await publishNotice({ actor: { type: 'OPERATOR', id: operator.userId }, input: { ...values, acquirerIds }, origin });
      revalidatePath('/operator/notices');
      const audience = notice.acquirerNames.length === 0 ? 'all stores' : `the stores of ${notice.acquirerNames.join(', ')}`;
      const from = notice.publishedAt.getTime() <= Date.now() ? 'from now' : `from ${formatDateTime(notice.publishedAt)}`;
      return `Published “${notice.title}” to ${audience}, ${from}${notice.expiresAt ? ` until ${formatDateTime(notice.expiresAt)}` : ''}.`;
    },
    { ...values, acquirerIds: acquirerIds.join(',') },
  );
}

export async function withdrawNoticeAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const operator = await requireOperator();
  const { noticeId = '' } = formFields(formData);
  const origin = await requestOrigin();
  return formAction(async () => {
    const notice = await withdrawNotice({ actor: { type: 'OPERATOR', id: operator.userId }, noticeId, origin });
    revalidatePath('/operator/notices');
    return `Withdrew “${notice.title}”: no store sees it any more.`;
  });
}
