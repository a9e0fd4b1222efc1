-- AlterTable
ALTER TABLE "Certificate" ADD COLUMN     "expiryAlertedDays" INTEGER;

-- CreateIndex
CREATE INDEX "Certificate_status_expiryAlertedDays_notAfter_id_idx" ON "Certificate"("status", "expiryAlertedDays", "notAfter", "id");

-- Backfill: the smallest threshold already alerted, from the alert rows.
UPDATE "Certificate" c SET "expiryAlertedDays" = a."days"
  FROM (SELECT "certificateId", MIN("thresholdDays") AS "days" FROM "CertificateExpiryAlert" GROUP BY "certificateId") a
 WHERE a."certificateId" = c."id";
