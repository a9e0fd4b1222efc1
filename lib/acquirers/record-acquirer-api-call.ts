import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import type { RequestOrigin } from '@/lib/http/request-origin';

/**
 * The audit record of one call of the acquirer admin API, answered or refused (`acquirer.api_request`):
 * actor ACQUIRER, the credential id (never the secret), method, path and query, HTTP status and error code.
 * What the call changed has its own audit event, written with the change; this one records the call.
 */
export async function recordAcquirerApiCall(call: {
  acquirerId: string;
  acquirerCode: string;
  credentialId: string;
  method: string;
  url: string;
  status: number;
  code: string | null;
  origin: RequestOrigin | null;
}): Promise<void> {
  const { pathname, search } = new URL(call.url, 'http://request.invalid');
  await db().$transaction((tx) =>
    recordAuditEvent(tx, {
      actor: { type: 'ACQUIRER', id: call.acquirerId },
      action: 'acquirer.api_request',
      targetType: 'Acquirer',
      targetId: call.acquirerId,
      data: {
        acquirerCode: call.acquirerCode,
        credentialId: call.credentialId,
        method: call.method,
        // The path and query are cut to what an audit row should hold; they carry merchant numbers and dates only.
        route: `${pathname}${search}`.slice(0, 300),
        status: call.status,
        result: call.status < 400 ? 'ok' : (call.code ?? 'error'),
      },
      origin: call.origin,
    }),
  );
}
