-- CreateEnum
CREATE TYPE "IdempotencyState" AS ENUM ('IN_PROGRESS', 'COMPLETED');

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "autoCapture" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "checkoutToken" VARCHAR(64) NOT NULL,
ADD COLUMN     "customer" JSONB,
ADD COLUMN     "description" VARCHAR(4000) NOT NULL;

-- AlterTable
ALTER TABLE "Payment" ADD COLUMN     "affiliateStoreId" UUID,
ADD COLUMN     "authCode" VARCHAR(20),
ADD COLUMN     "declineMessage" JSONB,
ADD COLUMN     "initMessage" JSONB,
ADD COLUMN     "posAcquirerId" UUID,
ADD COLUMN     "resolveBy" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "PaymentTransaction" ADD COLUMN     "latencyMs" INTEGER;

-- CreateTable
CREATE TABLE "PaymentEvent" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "paymentId" UUID NOT NULL,
    "kind" VARCHAR(40) NOT NULL,
    "code" VARCHAR(60),
    "latencyMs" INTEGER,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PaymentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdempotencyRecord" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "posId" UUID NOT NULL,
    "key" VARCHAR(255) NOT NULL,
    "requestHash" CHAR(64) NOT NULL,
    "state" "IdempotencyState" NOT NULL DEFAULT 'IN_PROGRESS',
    "responseStatus" INTEGER,
    "responseBody" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "IdempotencyRecord_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PaymentEvent_paymentId_createdAt_idx" ON "PaymentEvent"("paymentId", "createdAt");

-- CreateIndex
CREATE INDEX "IdempotencyRecord_createdAt_idx" ON "IdempotencyRecord"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "IdempotencyRecord_posId_key_key" ON "IdempotencyRecord"("posId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "Order_checkoutToken_key" ON "Order"("checkoutToken");

-- CreateIndex
CREATE INDEX "Payment_status_resolveBy_idx" ON "Payment"("status", "resolveBy");

-- AddForeignKey
ALTER TABLE "PaymentEvent" ADD CONSTRAINT "PaymentEvent_paymentId_fkey" FOREIGN KEY ("paymentId") REFERENCES "Payment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
