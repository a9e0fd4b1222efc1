-- CreateEnum
CREATE TYPE "CaptureMode" AS ENUM ('IMMEDIATE', 'DAILY_BATCH');

-- CreateEnum
CREATE TYPE "CaptureBatchStatus" AS ENUM ('OPEN', 'SENT', 'ANSWERED', 'FAILED');

-- AlterEnum
ALTER TYPE "PaymentTransactionStatus" ADD VALUE 'QUEUED';

-- AlterTable
ALTER TABLE "Store" ADD COLUMN     "settlementEmails" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "Pos" ADD COLUMN     "captureMode" "CaptureMode" NOT NULL DEFAULT 'IMMEDIATE',
ADD COLUMN     "webhookUrl" VARCHAR(2000);

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "affiliateGrantId" UUID,
ADD COLUMN     "affiliatePosId" UUID,
ADD COLUMN     "affiliateStoreId" UUID;

-- AlterTable
ALTER TABLE "Payment" ADD COLUMN     "affiliateGrantId" UUID;

-- AlterTable
ALTER TABLE "PaymentTransaction" ADD COLUMN     "batchId" UUID;

-- AlterTable
ALTER TABLE "AffiliateGrant" ADD COLUMN     "dailyLimit" BIGINT;

-- CreateTable
CREATE TABLE "WebhookSigningKey" (
    "id" VARCHAR(40) NOT NULL,
    "algorithm" VARCHAR(20) NOT NULL,
    "publicJwk" JSONB NOT NULL,
    "encryptedPrivateKey" BYTEA NOT NULL,
    "masterKeyVersion" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" TIMESTAMP(3),

    CONSTRAINT "WebhookSigningKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookEvent" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "posId" UUID NOT NULL,
    "paymentId" UUID,
    "type" VARCHAR(60) NOT NULL,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" UUID NOT NULL,
    "eventId" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "url" VARCHAR(2000) NOT NULL,
    "statusCode" INTEGER,
    "ok" BOOLEAN NOT NULL,
    "error" VARCHAR(500),
    "latencyMs" INTEGER,
    "manual" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaptureBatch" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "posAcquirerId" UUID NOT NULL,
    "acquirerId" UUID NOT NULL,
    "businessDate" DATE NOT NULL,
    "status" "CaptureBatchStatus" NOT NULL DEFAULT 'OPEN',
    "itemCount" INTEGER NOT NULL DEFAULT 0,
    "amount" BIGINT NOT NULL DEFAULT 0,
    "capturedCount" INTEGER NOT NULL DEFAULT 0,
    "lastError" VARCHAR(500),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),
    "answeredAt" TIMESTAMP(3),

    CONSTRAINT "CaptureBatch_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WebhookEvent_storeId_createdAt_idx" ON "WebhookEvent"("storeId", "createdAt");

-- CreateIndex
CREATE INDEX "WebhookEvent_posId_createdAt_idx" ON "WebhookEvent"("posId", "createdAt");

-- CreateIndex
CREATE INDEX "WebhookEvent_paymentId_idx" ON "WebhookEvent"("paymentId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_eventId_createdAt_idx" ON "WebhookDelivery"("eventId", "createdAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_storeId_createdAt_idx" ON "WebhookDelivery"("storeId", "createdAt");

-- CreateIndex
CREATE INDEX "CaptureBatch_storeId_createdAt_idx" ON "CaptureBatch"("storeId", "createdAt");

-- CreateIndex
CREATE INDEX "CaptureBatch_status_createdAt_idx" ON "CaptureBatch"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Order_affiliatePosId_createdAt_idx" ON "Order"("affiliatePosId", "createdAt");

-- CreateIndex
CREATE INDEX "Payment_affiliateStoreId_createdAt_idx" ON "Payment"("affiliateStoreId", "createdAt");

-- CreateIndex
CREATE INDEX "Payment_posId_createdAt_idx" ON "Payment"("posId", "createdAt");

-- CreateIndex
CREATE INDEX "PaymentTransaction_batchId_idx" ON "PaymentTransaction"("batchId");

-- AddForeignKey
ALTER TABLE "PaymentTransaction" ADD CONSTRAINT "PaymentTransaction_batchId_fkey" FOREIGN KEY ("batchId") REFERENCES "CaptureBatch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookEvent" ADD CONSTRAINT "WebhookEvent_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookEvent" ADD CONSTRAINT "WebhookEvent_posId_fkey" FOREIGN KEY ("posId") REFERENCES "Pos"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "WebhookEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaptureBatch" ADD CONSTRAINT "CaptureBatch_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
