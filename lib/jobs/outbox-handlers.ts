import type { RevocationPayload } from '@/lib/certificates/enqueue-revocation';
import { revokeCertificate } from '@/lib/certificates/revoke-certificate';
import type { RenewalRunPayload } from '@/lib/certificates/start-renewal-run';
import { workRenewalRun } from '@/lib/certificates/work-renewal-run';
import type { Db } from '@/lib/db/client';
import { queues } from '@/lib/jobs/queues';
import type { Mailer } from '@/lib/mail/transport';
import { acquirerApplicationPayloadSchema, ACQUIRER_APPLICATION_KIND } from '@/lib/outbox/enqueue-acquirer-application';
import type { EmailPayload } from '@/lib/outbox/enqueue-email';
import { confirmWithdrawal } from '@/lib/stores/confirm-withdrawal';
import { deliverApplication } from '@/lib/stores/deliver-application';
import { deliverStoreInfo } from '@/lib/stores/deliver-store-info';
import { STORE_INFO_OUTBOX_KIND } from '@/lib/stores/enqueue-store-info-push';
import { ACQUIRER_WITHDRAWAL_KIND, type WithdrawalPayload } from '@/lib/stores/withdraw-from-acquirers';
import { deliverWebhook } from '@/lib/webhooks/deliver-webhook';
import { WEBHOOK_OUTBOX_KIND } from '@/lib/webhooks/schemas';

/** What an outbox handler may use: the worker's database client and mailer. */
export interface OutboxContext {
  prisma: Db;
  mailer: Mailer;
}

export interface OutboxHandler {
  /** The pg-boss queue that delivers this kind (its retry policy is in queues.ts). */
  queue: string;
  /**
   * Delivers one message. Throws to have the queue retry it; must be safe to run again for a message it
   * already delivered (a worker can die between delivering and recording it).
   */
  deliver(message: { id: string; storeId: string | null; payload: unknown }, context: OutboxContext): Promise<void>;
}

/**
 * Every kind of outbox message and how it is delivered. A new kind is one entry here and one queue in
 * queues.ts; the worker reads nothing else.
 */
export const outboxHandlers: Record<string, OutboxHandler> = {
  email: {
    queue: queues.emailSend.name,
    async deliver(message, { mailer }) {
      await mailer.send(message.payload as EmailPayload, message.id);
    },
  },
  [ACQUIRER_APPLICATION_KIND]: {
    queue: queues.acquirerApplication.name,
    async deliver(message, { prisma }) {
      const { contractId } = acquirerApplicationPayloadSchema.parse(message.payload);
      await deliverApplication({ prisma, storeId: message.storeId, contractId });
    },
  },
  'certificates.renewal_run': {
    queue: queues.certificateRenewal.name,
    async deliver(message, { prisma }) {
      await workRenewalRun(prisma, message.payload as RenewalRunPayload);
    },
  },
  [STORE_INFO_OUTBOX_KIND]: {
    queue: queues.storeInfoPush.name,
    async deliver(message, { prisma }) {
      await deliverStoreInfo({ prisma, storeId: message.storeId, payload: message.payload });
    },
  },
  [ACQUIRER_WITHDRAWAL_KIND]: {
    queue: queues.acquirerWithdrawal.name,
    async deliver(message, { prisma }) {
      await confirmWithdrawal(prisma, message.payload as WithdrawalPayload);
    },
  },
  'ca.revocation': {
    queue: queues.certificateRevocation.name,
    async deliver(message, { prisma }) {
      await revokeCertificate(prisma, message.payload as RevocationPayload);
    },
  },
  [WEBHOOK_OUTBOX_KIND]: {
    queue: queues.webhookDelivery.name,
    async deliver(message, { prisma }) {
      await deliverWebhook({ prisma, storeId: message.storeId, payload: message.payload });
    },
  },
};
