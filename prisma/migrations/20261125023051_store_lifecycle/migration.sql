-- CreateEnum
CREATE TYPE "SuspensionSource" AS ENUM ('STORE', 'ACQUIRER', 'OPERATOR');

-- CreateEnum
CREATE TYPE "StoreInfoSource" AS ENUM ('ENROLMENT', 'CONSOLE', 'ACQUIRER');

-- CreateEnum
CREATE TYPE "RenewalRunStatus" AS ENUM ('RUNNING', 'FINISHED');

-- CreateEnum
CREATE TYPE "RenewalItemStatus" AS ENUM ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED');

-- AlterEnum
ALTER TYPE "PosAcquirerStatus" ADD VALUE 'WITHDRAWN';

-- AlterTable
ALTER TABLE "Store" ADD COLUMN     "suspendedBy" "SuspensionSource",
ADD COLUMN     "suspendedByAcquirerId" UUID;

-- AlterTable
ALTER TABLE "Acquirer" ADD COLUMN     "registryUrl" VARCHAR(500);

-- AlterTable
ALTER TABLE "AcquirerContract" ADD COLUMN     "pinFailedCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "pinHash" TEXT,
ADD COLUMN     "pinLockedUntil" TIMESTAMP(3),
ADD COLUMN     "storeInfoVersionAcked" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "withdrawalRequestedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "PosAcquirer" ADD COLUMN     "busySince" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Certificate" ADD COLUMN     "revokedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "ipAddress" VARCHAR(64),
ADD COLUMN     "userAgent" VARCHAR(300);

-- CreateTable
CREATE TABLE "StoreInfoRevision" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "source" "StoreInfoSource" NOT NULL,
    "acquirerId" UUID,
    "storeUserId" UUID,
    "name" VARCHAR(120) NOT NULL,
    "contactEmail" VARCHAR(254) NOT NULL,
    "phone" VARCHAR(40),
    "postalAddress" VARCHAR(500),
    "websiteUrl" VARCHAR(500),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StoreInfoRevision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PasswordResetToken" (
    "id" UUID NOT NULL,
    "storeUserId" UUID NOT NULL,
    "tokenHash" CHAR(64) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "failedAttempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PasswordResetToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RateLimitCounter" (
    "key" VARCHAR(200) NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RateLimitCounter_pkey" PRIMARY KEY ("key","windowStart")
);

-- CreateTable
CREATE TABLE "CertificateRenewalRun" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "posId" UUID,
    "status" "RenewalRunStatus" NOT NULL DEFAULT 'RUNNING',
    "runningFor" UUID,
    "requestedById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "CertificateRenewalRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CertificateRenewalItem" (
    "id" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "posAcquirerId" UUID NOT NULL,
    "status" "RenewalItemStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "errorCode" VARCHAR(60),
    "errorMessage" VARCHAR(500),
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "CertificateRenewalItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "StoreInfoRevision_storeId_version_key" ON "StoreInfoRevision"("storeId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "PasswordResetToken_tokenHash_key" ON "PasswordResetToken"("tokenHash");

-- CreateIndex
CREATE INDEX "PasswordResetToken_storeUserId_idx" ON "PasswordResetToken"("storeUserId");

-- CreateIndex
CREATE INDEX "RateLimitCounter_windowStart_idx" ON "RateLimitCounter"("windowStart");

-- CreateIndex
CREATE UNIQUE INDEX "CertificateRenewalRun_runningFor_key" ON "CertificateRenewalRun"("runningFor");

-- CreateIndex
CREATE INDEX "CertificateRenewalRun_storeId_createdAt_idx" ON "CertificateRenewalRun"("storeId", "createdAt");

-- CreateIndex
CREATE INDEX "CertificateRenewalItem_status_idx" ON "CertificateRenewalItem"("status");

-- CreateIndex
CREATE UNIQUE INDEX "CertificateRenewalItem_runId_posAcquirerId_key" ON "CertificateRenewalItem"("runId", "posAcquirerId");

-- AddForeignKey
ALTER TABLE "StoreInfoRevision" ADD CONSTRAINT "StoreInfoRevision_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PasswordResetToken" ADD CONSTRAINT "PasswordResetToken_storeUserId_fkey" FOREIGN KEY ("storeUserId") REFERENCES "StoreUser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CertificateRenewalRun" ADD CONSTRAINT "CertificateRenewalRun_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CertificateRenewalItem" ADD CONSTRAINT "CertificateRenewalItem_runId_fkey" FOREIGN KEY ("runId") REFERENCES "CertificateRenewalRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CertificateRenewalItem" ADD CONSTRAINT "CertificateRenewalItem_posAcquirerId_fkey" FOREIGN KEY ("posAcquirerId") REFERENCES "PosAcquirer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
