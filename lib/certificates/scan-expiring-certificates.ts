import { randomUUID } from 'node:crypto';
import { recordAuditEvent, systemActor } from '@/lib/audit/record-audit-event';
import type { Db } from '@/lib/db/client';
import { Prisma } from '@/lib/db/generated/prisma/client';
import { env } from '@/lib/env';
import { certificateExpiringMessage } from '@/lib/mail/templates';
import { enqueueEmail } from '@/lib/outbox/enqueue-email';

/** Days before notAfter at which the store is e-mailed, largest first. */
export const CERTIFICATE_EXPIRY_THRESHOLD_DAYS = [30, 14, 7, 1] as const;

const DAY_MS = 86_400_000;

/**
 * The alert due for a certificate at `now`: the smallest threshold the time left has reached, or null
 * when it has reached none, or when the certificate has already expired (that is no "expires in" news).
 */
export function dueExpiryThreshold(notAfter: Date, now: Date): number | null {
  const left = notAfter.getTime() - now.getTime();
  if (left <= 0) return null;
  let due: number | null = null;
  for (const days of CERTIFICATE_EXPIRY_THRESHOLD_DAYS) if (left <= days * DAY_MS) due = days;
  return due;
}

export interface ExpiryScanResult {
  /** Alerts recorded (and e-mails queued) by this scan. */
  alertsSent: number;
  /** ACTIVE certificates past notAfter that this scan marked EXPIRED. */
  expired: number;
}

const certificateForAlert = {
  id: true,
  storeId: true,
  usage: true,
  serialNumber: true,
  notAfter: true,
  store: { select: { name: true, contactEmail: true } },
  posAcquirer: { select: { pos: { select: { name: true } }, acquirer: { select: { name: true, code: true } } } },
} as const satisfies Prisma.CertificateSelect;

type CertificateForAlert = Prisma.CertificateGetPayload<{ select: typeof certificateForAlert }>;

/**
 * One pass of the certificate expiry alerts (run by the worker every minute).
 *
 * For each ACTIVE certificate the alert due is the smallest threshold reached; the alert row is inserted
 * with ON CONFLICT DO NOTHING and the e-mail is queued in the same transaction only when the row went in,
 * so the unique (certificateId, thresholdDays) makes each e-mail exactly once however many workers scan
 * at the same moment. A certificate that has already had an alert for a smaller threshold never gets one
 * for a larger threshold. Certificates are read in keyset batches per threshold window, and only those
 * still owed their alert (the smallest threshold sent, kept on the certificate with each alert row, narrows
 * the read to them), so a scan with nothing to send reads almost nothing however many certificates there are.
 */
export async function scanExpiringCertificates(options: {
  prisma: Db;
  now?: Date;
  appUrl?: string;
  batchSize?: number;
}): Promise<ExpiryScanResult> {
  const { prisma } = options;
  const now = options.now ?? new Date();
  const appUrl = options.appUrl ?? env().APP_URL;
  const batchSize = options.batchSize ?? 100;
  const result: ExpiryScanResult = { alertsSent: 0, expired: 0 };

  result.expired = await expirePastCertificates(prisma, now, batchSize);

  // Smallest threshold first: each window (next smaller threshold, this threshold] owes exactly this alert.
  const ascending = [...CERTIFICATE_EXPIRY_THRESHOLD_DAYS].sort((a, b) => a - b);
  let windowStart = now;
  for (const thresholdDays of ascending) {
    const windowEnd = new Date(now.getTime() + thresholdDays * DAY_MS);
    let after: { notAfter: Date; id: string } | null = null;
    for (;;) {
      // The ids first, from the (status, expiryAlertedDays, notAfter, id) index alone: the certificates of the
      // window with no alert yet, and those with only a larger one. In the steady state nearly every certificate
      // of the window already has its alert; reading each one (its row, or its alerts) to find that out is what
      // made the scan grow with the number of certificates near expiry. The candidates are MATERIALIZED so that
      // the planner reads those two narrow ranges of the index: left to choose with the LIMIT in view, it walks
      // the whole window in notAfter order instead, as it cannot know that nearly all of it has had its alert.
      // The alert rows stay the rule; the column only narrows. They are looked up per candidate (a subquery
      // with LIMIT, which the planner keeps as such) rather than as an anti-join, which on the same misjudgement
      // would hash every alert ever sent to check a handful of candidates.
      const keyset: Prisma.Sql = after ? Prisma.sql`AND (c."notAfter", c."id") > (${after.notAfter}, ${after.id}::uuid)` : Prisma.empty;
      const inWindow: Prisma.Sql = Prisma.sql`c."status" = 'ACTIVE' AND c."notAfter" > ${windowStart} AND c."notAfter" <= ${windowEnd} ${keyset}`;
      const larger = CERTIFICATE_EXPIRY_THRESHOLD_DAYS.filter((days) => days > thresholdDays);
      const due: { id: string; notAfter: Date }[] = await prisma.$queryRaw`
        WITH "candidates" AS MATERIALIZED (
          SELECT c."id", c."notAfter" FROM "Certificate" c WHERE c."expiryAlertedDays" IS NULL AND ${inWindow}
          UNION ALL
          SELECT c."id", c."notAfter" FROM "Certificate" c WHERE c."expiryAlertedDays" = ANY(${larger}::int[]) AND ${inWindow}
        )
        SELECT x."id"::text AS "id", x."notAfter" FROM "candidates" x
         WHERE (SELECT a."thresholdDays" FROM "CertificateExpiryAlert" a WHERE a."certificateId" = x."id" AND a."thresholdDays" <= ${thresholdDays} LIMIT 1) IS NULL
         ORDER BY x."notAfter", x."id"
         LIMIT ${batchSize}`;
      if (due.length === 0) break;
      const batch: CertificateForAlert[] = await prisma.certificate.findMany({
        where: { id: { in: due.map((row) => row.id) }, status: 'ACTIVE' },
        orderBy: [{ notAfter: 'asc' }, { id: 'asc' }],
        select: certificateForAlert,
      });
      for (const certificate of batch) {
        if (await sendExpiryAlert(prisma, certificate, thresholdDays, appUrl)) result.alertsSent += 1;
      }
      const last = due.at(-1)!;
      if (due.length < batchSize) break;
      after = { notAfter: last.notAfter, id: last.id };
    }
    windowStart = windowEnd;
  }
  return result;
}

async function sendExpiryAlert(
  prisma: Db,
  certificate: CertificateForAlert,
  thresholdDays: number,
  appUrl: string,
): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    // The NOT EXISTS keeps a scan that read an older "now" from sending a larger threshold after a
    // smaller one went out; ON CONFLICT is what makes a second scan of the same moment a no-op.
    const inserted = await tx.$executeRaw`
      INSERT INTO "CertificateExpiryAlert" ("id", "certificateId", "thresholdDays")
      SELECT ${randomUUID()}::uuid, ${certificate.id}::uuid, ${thresholdDays}
      WHERE NOT EXISTS (
        SELECT 1 FROM "CertificateExpiryAlert"
        WHERE "certificateId" = ${certificate.id}::uuid AND "thresholdDays" < ${thresholdDays}
      )
      ON CONFLICT ("certificateId", "thresholdDays") DO NOTHING`;
    // The scan's filter follows the alert rows, also when another scan's insert won (so the certificate is not
    // a candidate again next minute).
    await tx.$executeRaw`
      UPDATE "Certificate" SET "expiryAlertedDays" = (SELECT MIN("thresholdDays") FROM "CertificateExpiryAlert" WHERE "certificateId" = ${certificate.id}::uuid)
       WHERE "id" = ${certificate.id}::uuid`;
    if (inserted !== 1) return false;
    const { pos, acquirer } = certificate.posAcquirer;
    await enqueueEmail(tx, {
      storeId: certificate.storeId,
      to: certificate.store.contactEmail,
      email: certificateExpiringMessage({
        storeName: certificate.store.name,
        posName: pos.name,
        acquirerName: acquirer.name,
        acquirerCode: acquirer.code,
        usage: certificate.usage,
        serialNumber: certificate.serialNumber,
        notAfter: certificate.notAfter,
        thresholdDays,
        certificatesUrl: `${appUrl}/console/stores/${certificate.storeId}/certificates`,
      }),
    });
    await recordAuditEvent(tx, {
      actor: systemActor,
      action: 'certificate.expiry_alert_sent',
      storeId: certificate.storeId,
      targetType: 'Certificate',
      targetId: certificate.id,
      data: { thresholdDays },
    });
    return true;
  });
}

/**
 * ACTIVE certificates past notAfter become EXPIRED. The update is guarded by the status and the date it
 * was selected for, so a certificate renewed, revoked or deleted meanwhile is left alone, and a second
 * worker doing the same finds nothing to change and records nothing.
 */
async function expirePastCertificates(prisma: Db, now: Date, batchSize: number): Promise<number> {
  let expired = 0;
  for (;;) {
    const batch = await prisma.certificate.findMany({
      where: { status: 'ACTIVE', notAfter: { lte: now } },
      orderBy: [{ notAfter: 'asc' }, { id: 'asc' }],
      take: batchSize,
      select: { id: true, storeId: true, notAfter: true },
    });
    let changed = 0;
    for (const certificate of batch) {
      const done = await prisma.$transaction(async (tx) => {
        const { count } = await tx.certificate.updateMany({
          where: { id: certificate.id, status: 'ACTIVE', notAfter: { lte: now } },
          data: { status: 'EXPIRED' },
        });
        if (count !== 1) return false;
        await recordAuditEvent(tx, {
          actor: systemActor,
          action: 'certificate.expired',
          storeId: certificate.storeId,
          targetType: 'Certificate',
          targetId: certificate.id,
          data: { notAfter: certificate.notAfter.toISOString() },
        });
        return true;
      });
      if (done) changed += 1;
    }
    expired += changed;
    // Every row of a full batch leaves the ACTIVE set (here or in another worker), so re-reading the
    // head of the index moves on; a batch where nothing changed means the others own what is left.
    if (batch.length < batchSize || changed === 0) break;
  }
  return expired;
}
