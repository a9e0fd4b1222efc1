-- The daily rollup tables had no writer before this migration, so they are empty and the new NOT NULL key columns need no default.
-- CreateEnum
CREATE TYPE "ConnectionTestTrigger" AS ENUM ('ON_DEMAND', 'SCHEDULED');

-- AlterEnum
ALTER TYPE "NoticeKind" ADD VALUE 'INFORMATION';

-- AlterTable
ALTER TABLE "Notice" ADD COLUMN     "acquirerIds" UUID[] DEFAULT ARRAY[]::UUID[],
ADD COLUMN     "createdByOperatorId" UUID,
ADD COLUMN     "linkUrl" VARCHAR(500),
ADD COLUMN     "withdrawnAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "DailyStoreStats" DROP CONSTRAINT "DailyStoreStats_pkey",
ADD COLUMN     "declineAmount" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "posId" UUID NOT NULL,
ADD COLUMN     "voidAmount" BIGINT NOT NULL DEFAULT 0,
ADD CONSTRAINT "DailyStoreStats_pkey" PRIMARY KEY ("day", "storeId", "posId", "acquirerId", "brand", "currency");

-- AlterTable
ALTER TABLE "DailyDeclineStats" DROP CONSTRAINT "DailyDeclineStats_pkey",
ADD COLUMN     "brand" VARCHAR(20) NOT NULL,
ADD COLUMN     "posId" UUID NOT NULL,
ADD CONSTRAINT "DailyDeclineStats_pkey" PRIMARY KEY ("day", "storeId", "posId", "acquirerId", "brand", "declineCode");

-- CreateTable
CREATE TABLE "AcquirerApiCredential" (
    "id" UUID NOT NULL,
    "acquirerId" UUID NOT NULL,
    "credentialId" VARCHAR(64) NOT NULL,
    "secretHash" CHAR(64) NOT NULL,
    "label" VARCHAR(80) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),

    CONSTRAINT "AcquirerApiCredential_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AcquirerRequestNonce" (
    "key" VARCHAR(200) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AcquirerRequestNonce_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "AcquirerConnectionTest" (
    "id" UUID NOT NULL,
    "acquirerId" UUID NOT NULL,
    "trigger" "ConnectionTestTrigger" NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "code" VARCHAR(60),
    "message" VARCHAR(500),
    "latencyMs" INTEGER,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "operatorUserId" UUID,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AcquirerConnectionTest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NoticeDismissal" (
    "noticeId" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "storeUserId" UUID,
    "dismissedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NoticeDismissal_pkey" PRIMARY KEY ("noticeId","storeId")
);

-- CreateTable
CREATE TABLE "DailyAcquirerStats" (
    "day" DATE NOT NULL,
    "acquirerId" UUID NOT NULL,
    "brand" VARCHAR(20) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "storeCount" INTEGER NOT NULL DEFAULT 0,
    "authorizationCount" INTEGER NOT NULL DEFAULT 0,
    "authorizationAmount" BIGINT NOT NULL DEFAULT 0,
    "declineCount" INTEGER NOT NULL DEFAULT 0,
    "declineAmount" BIGINT NOT NULL DEFAULT 0,
    "captureCount" INTEGER NOT NULL DEFAULT 0,
    "captureAmount" BIGINT NOT NULL DEFAULT 0,
    "voidCount" INTEGER NOT NULL DEFAULT 0,
    "voidAmount" BIGINT NOT NULL DEFAULT 0,
    "refundCount" INTEGER NOT NULL DEFAULT 0,
    "refundAmount" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "DailyAcquirerStats_pkey" PRIMARY KEY ("day","acquirerId","brand","currency")
);

-- CreateTable
CREATE TABLE "DailyAcquirerDeclineStats" (
    "day" DATE NOT NULL,
    "acquirerId" UUID NOT NULL,
    "brand" VARCHAR(20) NOT NULL,
    "declineCode" VARCHAR(40) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "DailyAcquirerDeclineStats_pkey" PRIMARY KEY ("day","acquirerId","brand","declineCode")
);

-- CreateTable
CREATE TABLE "StatsRollupState" (
    "name" VARCHAR(40) NOT NULL,
    "watermark" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StatsRollupState_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE UNIQUE INDEX "AcquirerApiCredential_credentialId_key" ON "AcquirerApiCredential"("credentialId");

-- CreateIndex
CREATE INDEX "AcquirerApiCredential_acquirerId_idx" ON "AcquirerApiCredential"("acquirerId");

-- CreateIndex
CREATE INDEX "AcquirerRequestNonce_expiresAt_idx" ON "AcquirerRequestNonce"("expiresAt");

-- CreateIndex
CREATE INDEX "AcquirerConnectionTest_acquirerId_startedAt_idx" ON "AcquirerConnectionTest"("acquirerId", "startedAt");

-- CreateIndex
CREATE INDEX "AcquirerConnectionTest_startedAt_idx" ON "AcquirerConnectionTest"("startedAt");

-- CreateIndex
CREATE INDEX "NoticeDismissal_storeId_idx" ON "NoticeDismissal"("storeId");

-- CreateIndex
CREATE INDEX "PaymentTransaction_createdAt_idx" ON "PaymentTransaction"("createdAt");

-- CreateIndex
CREATE INDEX "PaymentTransaction_completedAt_idx" ON "PaymentTransaction"("completedAt");

-- CreateIndex
CREATE INDEX "Notice_publishedAt_idx" ON "Notice"("publishedAt");

-- CreateIndex
CREATE INDEX "DailyDeclineStats_storeId_day_idx" ON "DailyDeclineStats"("storeId", "day");

-- AddForeignKey
ALTER TABLE "AcquirerApiCredential" ADD CONSTRAINT "AcquirerApiCredential_acquirerId_fkey" FOREIGN KEY ("acquirerId") REFERENCES "Acquirer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AcquirerConnectionTest" ADD CONSTRAINT "AcquirerConnectionTest_acquirerId_fkey" FOREIGN KEY ("acquirerId") REFERENCES "Acquirer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NoticeDismissal" ADD CONSTRAINT "NoticeDismissal_noticeId_fkey" FOREIGN KEY ("noticeId") REFERENCES "Notice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NoticeDismissal" ADD CONSTRAINT "NoticeDismissal_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DailyAcquirerStats" ADD CONSTRAINT "DailyAcquirerStats_acquirerId_fkey" FOREIGN KEY ("acquirerId") REFERENCES "Acquirer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DailyAcquirerDeclineStats" ADD CONSTRAINT "DailyAcquirerDeclineStats_acquirerId_fkey" FOREIGN KEY ("acquirerId") REFERENCES "Acquirer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
