'use server';

import { revalidatePath } from 'next/cache';
import { requireOperator } from '@/lib/auth/current';
import { formAction, formFields, type FormState } from '@/lib/http/form-state';
import { requestOrigin } from '@/lib/http/request-origin';
import { runAllConnectionTests } from '@/lib/operator/run-all-connection-tests';
import { runConnectionTest } from '@/lib/operator/run-connection-test';

export async function testAllConnectionsAction(_previous: FormState, _formData: FormData): Promise<FormState> {
  const operator = await requireOperator();
  const origin = await requestOrigin();
  return formAction(async () => {
    const run = await runAllConnectionTests({ trigger: 'ON_DEMAND', operatorUserId: operator.userId, origin });
    revalidatePath('/operator/connections');
    const failing = run.tests.filter((test) => !test.ok).length;
    const tested = `Tested ${run.tests.length} acquirer${run.tests.length === 1 ? '' : 's'}`;
    return `${tested}: ${run.tests.length - failing} OK, ${failing} failing${run.failedToRun > 0 ? `, ${run.failedToRun} could not be tested` : ''}.`;
  });
}

export async function testConnectionAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const operator = await requireOperator();
  const { acquirerId = '' } = formFields(formData);
  const origin = await requestOrigin();
  return formAction(async () => {
    const test = await runConnectionTest({ acquirerId, trigger: 'ON_DEMAND', operatorUserId: operator.userId, origin });
    revalidatePath('/operator/connections');
    return test.ok ? `OK in ${test.latencyMs ?? 0} ms.` : `Failing: ${test.code}.`;
  });
}
