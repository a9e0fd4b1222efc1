-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "StoreStatus" AS ENUM ('PENDING', 'ACTIVE', 'SUSPENDED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "StoreUserRole" AS ENUM ('OWNER', 'STAFF');

-- CreateEnum
CREATE TYPE "SessionSubject" AS ENUM ('STORE_USER', 'OPERATOR');

-- CreateEnum
CREATE TYPE "AcquirerStatus" AS ENUM ('ACTIVE', 'DISABLED');

-- CreateEnum
CREATE TYPE "ContractStatus" AS ENUM ('APPLIED', 'VERIFIED', 'REJECTED', 'WITHDRAWING', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "PosStatus" AS ENUM ('ACTIVE', 'DISABLED');

-- CreateEnum
CREATE TYPE "PosAcquirerStatus" AS ENUM ('PENDING', 'REGISTERED', 'DISABLED');

-- CreateEnum
CREATE TYPE "CertificateUsage" AS ENUM ('SIGNATURE', 'KEY_EXCHANGE');

-- CreateEnum
CREATE TYPE "KeyAlgorithm" AS ENUM ('RSA_2048', 'RSA_3072', 'EC_P256');

-- CreateEnum
CREATE TYPE "CertificateStatus" AS ENUM ('PENDING', 'ACTIVE', 'SUPERSEDED', 'REVOKED', 'EXPIRED', 'DELETED');

-- CreateEnum
CREATE TYPE "OrderStatus" AS ENUM ('OPEN', 'PAID', 'EXPIRED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "PaymentStatus" AS ENUM ('PENDING', 'AUTHORIZING', 'AUTHORIZED', 'DECLINED', 'PARTIALLY_CAPTURED', 'CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED', 'VOIDED', 'FAILED', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "PaymentTransactionType" AS ENUM ('AUTHORIZE', 'CAPTURE', 'VOID', 'REFUND', 'INQUIRY');

-- CreateEnum
CREATE TYPE "PaymentTransactionStatus" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "NoticeKind" AS ENUM ('NOTICE', 'ADVERTISEMENT', 'ALERT');

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('PENDING', 'DISPATCHED', 'DELIVERED', 'FAILED');

-- CreateEnum
CREATE TYPE "ActorType" AS ENUM ('ANONYMOUS', 'STORE_USER', 'OPERATOR', 'ACQUIRER', 'POS_API_KEY', 'SYSTEM');

-- CreateTable
CREATE TABLE "Store" (
    "id" UUID NOT NULL,
    "name" VARCHAR(120) NOT NULL,
    "contactEmail" VARCHAR(254) NOT NULL,
    "phone" VARCHAR(40),
    "postalAddress" VARCHAR(500),
    "websiteUrl" VARCHAR(500),
    "status" "StoreStatus" NOT NULL DEFAULT 'PENDING',
    "storeInfoVersion" INTEGER NOT NULL DEFAULT 1,
    "certificateAlertDays" INTEGER NOT NULL DEFAULT 30,
    "suspendedAt" TIMESTAMP(3),
    "suspendedReason" VARCHAR(500),
    "withdrawnAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Store_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StoreUser" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "email" VARCHAR(254) NOT NULL,
    "name" VARCHAR(120) NOT NULL,
    "role" "StoreUserRole" NOT NULL DEFAULT 'OWNER',
    "passwordHash" TEXT NOT NULL,
    "emailVerifiedAt" TIMESTAMP(3),
    "failedLoginCount" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMP(3),
    "lastLoginAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StoreUser_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OperatorUser" (
    "id" UUID NOT NULL,
    "email" VARCHAR(254) NOT NULL,
    "name" VARCHAR(120) NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "failedLoginCount" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMP(3),
    "lastLoginAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OperatorUser_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuthSession" (
    "id" UUID NOT NULL,
    "subject" "SessionSubject" NOT NULL,
    "storeUserId" UUID,
    "operatorUserId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "AuthSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EmailVerificationToken" (
    "id" UUID NOT NULL,
    "storeUserId" UUID NOT NULL,
    "tokenHash" CHAR(64) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EmailVerificationToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Acquirer" (
    "id" UUID NOT NULL,
    "code" VARCHAR(40) NOT NULL,
    "name" VARCHAR(120) NOT NULL,
    "brands" TEXT[],
    "gatewayUrl" VARCHAR(500) NOT NULL,
    "status" "AcquirerStatus" NOT NULL DEFAULT 'ACTIVE',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Acquirer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BinRange" (
    "id" UUID NOT NULL,
    "acquirerId" UUID NOT NULL,
    "brand" VARCHAR(20) NOT NULL,
    "binFrom" VARCHAR(8) NOT NULL,
    "binTo" VARCHAR(8) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BinRange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AcquirerContract" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "acquirerId" UUID NOT NULL,
    "merchantNumber" VARCHAR(40) NOT NULL,
    "status" "ContractStatus" NOT NULL DEFAULT 'APPLIED',
    "rejectionReason" VARCHAR(500),
    "certificateAcquisitionNumberHash" CHAR(64),
    "appliedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "verifiedAt" TIMESTAMP(3),
    "withdrawnAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AcquirerContract_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Pos" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "name" VARCHAR(80) NOT NULL,
    "status" "PosStatus" NOT NULL DEFAULT 'ACTIVE',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Pos_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PosApiKey" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "posId" UUID NOT NULL,
    "prefix" VARCHAR(24) NOT NULL,
    "secretHash" CHAR(64) NOT NULL,
    "label" VARCHAR(80) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "PosApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PosAcquirer" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "posId" UUID NOT NULL,
    "acquirerId" UUID NOT NULL,
    "contractId" UUID NOT NULL,
    "status" "PosAcquirerStatus" NOT NULL DEFAULT 'PENDING',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PosAcquirer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KeyPair" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "posAcquirerId" UUID NOT NULL,
    "usage" "CertificateUsage" NOT NULL,
    "algorithm" "KeyAlgorithm" NOT NULL,
    "publicKeyPem" TEXT NOT NULL,
    "encryptedPrivateKey" BYTEA,
    "masterKeyVersion" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "destroyedAt" TIMESTAMP(3),

    CONSTRAINT "KeyPair_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Certificate" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "posAcquirerId" UUID NOT NULL,
    "keyPairId" UUID NOT NULL,
    "usage" "CertificateUsage" NOT NULL,
    "serialNumber" VARCHAR(80) NOT NULL,
    "issuerDn" VARCHAR(500) NOT NULL,
    "subjectDn" VARCHAR(500) NOT NULL,
    "notBefore" TIMESTAMP(3) NOT NULL,
    "notAfter" TIMESTAMP(3) NOT NULL,
    "status" "CertificateStatus" NOT NULL DEFAULT 'PENDING',
    "pem" TEXT NOT NULL,
    "replacesId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Certificate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CertificateExpiryAlert" (
    "id" UUID NOT NULL,
    "certificateId" UUID NOT NULL,
    "thresholdDays" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CertificateExpiryAlert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Order" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "posId" UUID NOT NULL,
    "shopOrderRef" VARCHAR(64) NOT NULL,
    "amount" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "lineItems" JSONB NOT NULL,
    "successUrl" VARCHAR(2000) NOT NULL,
    "failureUrl" VARCHAR(2000) NOT NULL,
    "status" "OrderStatus" NOT NULL DEFAULT 'OPEN',
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Payment" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "posId" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "acquirerId" UUID,
    "xid" VARCHAR(64) NOT NULL,
    "brand" VARCHAR(20),
    "amount" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "status" "PaymentStatus" NOT NULL DEFAULT 'PENDING',
    "capturedAmount" BIGINT NOT NULL DEFAULT 0,
    "refundedAmount" BIGINT NOT NULL DEFAULT 0,
    "declineCode" VARCHAR(40),
    "handlingNumber" VARCHAR(40),
    "maskedPan" VARCHAR(19),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Payment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PaymentTransaction" (
    "id" UUID NOT NULL,
    "storeId" UUID NOT NULL,
    "paymentId" UUID NOT NULL,
    "type" "PaymentTransactionType" NOT NULL,
    "status" "PaymentTransactionStatus" NOT NULL DEFAULT 'PENDING',
    "amount" BIGINT NOT NULL,
    "requestId" VARCHAR(64) NOT NULL,
    "gatewayReference" VARCHAR(80),
    "responseCode" VARCHAR(40),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "PaymentTransaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AffiliateGrant" (
    "id" UUID NOT NULL,
    "grantorStoreId" UUID NOT NULL,
    "affiliateStoreId" UUID NOT NULL,
    "posId" UUID NOT NULL,
    "maxAmount" BIGINT,
    "currency" CHAR(3),
    "brands" TEXT[],
    "validFrom" TIMESTAMP(3) NOT NULL,
    "validUntil" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AffiliateGrant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notice" (
    "id" UUID NOT NULL,
    "storeId" UUID,
    "kind" "NoticeKind" NOT NULL DEFAULT 'NOTICE',
    "title" VARCHAR(200) NOT NULL,
    "body" VARCHAR(5000) NOT NULL,
    "publishedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Notice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" UUID NOT NULL,
    "storeId" UUID,
    "kind" VARCHAR(40) NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "OutboxStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" VARCHAR(1000),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dispatchedAt" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" UUID NOT NULL,
    "storeId" UUID,
    "actorType" "ActorType" NOT NULL,
    "actorId" VARCHAR(64),
    "action" VARCHAR(80) NOT NULL,
    "targetType" VARCHAR(40),
    "targetId" VARCHAR(64),
    "data" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DailyStoreStats" (
    "day" DATE NOT NULL,
    "storeId" UUID NOT NULL,
    "acquirerId" UUID NOT NULL,
    "brand" VARCHAR(20) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "authorizationCount" INTEGER NOT NULL DEFAULT 0,
    "authorizationAmount" BIGINT NOT NULL DEFAULT 0,
    "declineCount" INTEGER NOT NULL DEFAULT 0,
    "captureCount" INTEGER NOT NULL DEFAULT 0,
    "captureAmount" BIGINT NOT NULL DEFAULT 0,
    "voidCount" INTEGER NOT NULL DEFAULT 0,
    "refundCount" INTEGER NOT NULL DEFAULT 0,
    "refundAmount" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "DailyStoreStats_pkey" PRIMARY KEY ("day","storeId","acquirerId","brand","currency")
);

-- CreateTable
CREATE TABLE "DailyDeclineStats" (
    "day" DATE NOT NULL,
    "storeId" UUID NOT NULL,
    "acquirerId" UUID NOT NULL,
    "declineCode" VARCHAR(40) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "DailyDeclineStats_pkey" PRIMARY KEY ("day","storeId","acquirerId","declineCode")
);

-- CreateIndex
CREATE INDEX "Store_status_idx" ON "Store"("status");

-- CreateIndex
CREATE INDEX "Store_name_idx" ON "Store"("name");

-- CreateIndex
CREATE UNIQUE INDEX "StoreUser_email_key" ON "StoreUser"("email");

-- CreateIndex
CREATE INDEX "StoreUser_storeId_idx" ON "StoreUser"("storeId");

-- CreateIndex
CREATE UNIQUE INDEX "OperatorUser_email_key" ON "OperatorUser"("email");

-- CreateIndex
CREATE INDEX "AuthSession_storeUserId_idx" ON "AuthSession"("storeUserId");

-- CreateIndex
CREATE INDEX "AuthSession_operatorUserId_idx" ON "AuthSession"("operatorUserId");

-- CreateIndex
CREATE UNIQUE INDEX "EmailVerificationToken_tokenHash_key" ON "EmailVerificationToken"("tokenHash");

-- CreateIndex
CREATE INDEX "EmailVerificationToken_storeUserId_idx" ON "EmailVerificationToken"("storeUserId");

-- CreateIndex
CREATE UNIQUE INDEX "Acquirer_code_key" ON "Acquirer"("code");

-- CreateIndex
CREATE INDEX "BinRange_binFrom_binTo_idx" ON "BinRange"("binFrom", "binTo");

-- CreateIndex
CREATE INDEX "AcquirerContract_storeId_idx" ON "AcquirerContract"("storeId");

-- CreateIndex
CREATE UNIQUE INDEX "AcquirerContract_acquirerId_merchantNumber_key" ON "AcquirerContract"("acquirerId", "merchantNumber");

-- CreateIndex
CREATE UNIQUE INDEX "AcquirerContract_storeId_acquirerId_key" ON "AcquirerContract"("storeId", "acquirerId");

-- CreateIndex
CREATE INDEX "Pos_storeId_idx" ON "Pos"("storeId");

-- CreateIndex
CREATE UNIQUE INDEX "Pos_storeId_name_key" ON "Pos"("storeId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "PosApiKey_prefix_key" ON "PosApiKey"("prefix");

-- CreateIndex
CREATE INDEX "PosApiKey_storeId_idx" ON "PosApiKey"("storeId");

-- CreateIndex
CREATE INDEX "PosApiKey_posId_idx" ON "PosApiKey"("posId");

-- CreateIndex
CREATE INDEX "PosAcquirer_storeId_idx" ON "PosAcquirer"("storeId");

-- CreateIndex
CREATE UNIQUE INDEX "PosAcquirer_posId_acquirerId_key" ON "PosAcquirer"("posId", "acquirerId");

-- CreateIndex
CREATE INDEX "KeyPair_storeId_idx" ON "KeyPair"("storeId");

-- CreateIndex
CREATE INDEX "KeyPair_posAcquirerId_idx" ON "KeyPair"("posAcquirerId");

-- CreateIndex
CREATE INDEX "Certificate_status_notAfter_idx" ON "Certificate"("status", "notAfter");

-- CreateIndex
CREATE INDEX "Certificate_storeId_status_idx" ON "Certificate"("storeId", "status");

-- CreateIndex
CREATE INDEX "Certificate_posAcquirerId_idx" ON "Certificate"("posAcquirerId");

-- CreateIndex
CREATE UNIQUE INDEX "Certificate_issuerDn_serialNumber_key" ON "Certificate"("issuerDn", "serialNumber");

-- CreateIndex
CREATE UNIQUE INDEX "CertificateExpiryAlert_certificateId_thresholdDays_key" ON "CertificateExpiryAlert"("certificateId", "thresholdDays");

-- CreateIndex
CREATE INDEX "Order_storeId_createdAt_idx" ON "Order"("storeId", "createdAt");

-- CreateIndex
CREATE INDEX "Order_status_expiresAt_idx" ON "Order"("status", "expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "Order_posId_shopOrderRef_key" ON "Order"("posId", "shopOrderRef");

-- CreateIndex
CREATE UNIQUE INDEX "Payment_xid_key" ON "Payment"("xid");

-- CreateIndex
CREATE UNIQUE INDEX "Payment_handlingNumber_key" ON "Payment"("handlingNumber");

-- CreateIndex
CREATE INDEX "Payment_storeId_createdAt_idx" ON "Payment"("storeId", "createdAt");

-- CreateIndex
CREATE INDEX "Payment_acquirerId_createdAt_idx" ON "Payment"("acquirerId", "createdAt");

-- CreateIndex
CREATE INDEX "Payment_status_updatedAt_idx" ON "Payment"("status", "updatedAt");

-- CreateIndex
CREATE INDEX "Payment_orderId_idx" ON "Payment"("orderId");

-- CreateIndex
CREATE INDEX "PaymentTransaction_storeId_createdAt_idx" ON "PaymentTransaction"("storeId", "createdAt");

-- CreateIndex
CREATE INDEX "PaymentTransaction_status_createdAt_idx" ON "PaymentTransaction"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PaymentTransaction_paymentId_requestId_key" ON "PaymentTransaction"("paymentId", "requestId");

-- CreateIndex
CREATE INDEX "AffiliateGrant_affiliateStoreId_idx" ON "AffiliateGrant"("affiliateStoreId");

-- CreateIndex
CREATE UNIQUE INDEX "AffiliateGrant_grantorStoreId_affiliateStoreId_posId_key" ON "AffiliateGrant"("grantorStoreId", "affiliateStoreId", "posId");

-- CreateIndex
CREATE INDEX "Notice_storeId_publishedAt_idx" ON "Notice"("storeId", "publishedAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_createdAt_idx" ON "OutboxMessage"("status", "createdAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_storeId_createdAt_idx" ON "OutboxMessage"("storeId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_storeId_createdAt_idx" ON "AuditEvent"("storeId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_action_createdAt_idx" ON "AuditEvent"("action", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_createdAt_idx" ON "AuditEvent"("createdAt");

-- CreateIndex
CREATE INDEX "DailyStoreStats_storeId_day_idx" ON "DailyStoreStats"("storeId", "day");

-- CreateIndex
CREATE INDEX "DailyStoreStats_acquirerId_day_idx" ON "DailyStoreStats"("acquirerId", "day");

-- CreateIndex
CREATE INDEX "DailyDeclineStats_acquirerId_day_idx" ON "DailyDeclineStats"("acquirerId", "day");

-- AddForeignKey
ALTER TABLE "StoreUser" ADD CONSTRAINT "StoreUser_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuthSession" ADD CONSTRAINT "AuthSession_storeUserId_fkey" FOREIGN KEY ("storeUserId") REFERENCES "StoreUser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuthSession" ADD CONSTRAINT "AuthSession_operatorUserId_fkey" FOREIGN KEY ("operatorUserId") REFERENCES "OperatorUser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EmailVerificationToken" ADD CONSTRAINT "EmailVerificationToken_storeUserId_fkey" FOREIGN KEY ("storeUserId") REFERENCES "StoreUser"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BinRange" ADD CONSTRAINT "BinRange_acquirerId_fkey" FOREIGN KEY ("acquirerId") REFERENCES "Acquirer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AcquirerContract" ADD CONSTRAINT "AcquirerContract_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AcquirerContract" ADD CONSTRAINT "AcquirerContract_acquirerId_fkey" FOREIGN KEY ("acquirerId") REFERENCES "Acquirer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Pos" ADD CONSTRAINT "Pos_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PosApiKey" ADD CONSTRAINT "PosApiKey_posId_fkey" FOREIGN KEY ("posId") REFERENCES "Pos"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PosAcquirer" ADD CONSTRAINT "PosAcquirer_posId_fkey" FOREIGN KEY ("posId") REFERENCES "Pos"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PosAcquirer" ADD CONSTRAINT "PosAcquirer_acquirerId_fkey" FOREIGN KEY ("acquirerId") REFERENCES "Acquirer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PosAcquirer" ADD CONSTRAINT "PosAcquirer_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "AcquirerContract"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KeyPair" ADD CONSTRAINT "KeyPair_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KeyPair" ADD CONSTRAINT "KeyPair_posAcquirerId_fkey" FOREIGN KEY ("posAcquirerId") REFERENCES "PosAcquirer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Certificate" ADD CONSTRAINT "Certificate_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Certificate" ADD CONSTRAINT "Certificate_posAcquirerId_fkey" FOREIGN KEY ("posAcquirerId") REFERENCES "PosAcquirer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Certificate" ADD CONSTRAINT "Certificate_keyPairId_fkey" FOREIGN KEY ("keyPairId") REFERENCES "KeyPair"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Certificate" ADD CONSTRAINT "Certificate_replacesId_fkey" FOREIGN KEY ("replacesId") REFERENCES "Certificate"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CertificateExpiryAlert" ADD CONSTRAINT "CertificateExpiryAlert_certificateId_fkey" FOREIGN KEY ("certificateId") REFERENCES "Certificate"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_posId_fkey" FOREIGN KEY ("posId") REFERENCES "Pos"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_posId_fkey" FOREIGN KEY ("posId") REFERENCES "Pos"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_acquirerId_fkey" FOREIGN KEY ("acquirerId") REFERENCES "Acquirer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PaymentTransaction" ADD CONSTRAINT "PaymentTransaction_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PaymentTransaction" ADD CONSTRAINT "PaymentTransaction_paymentId_fkey" FOREIGN KEY ("paymentId") REFERENCES "Payment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AffiliateGrant" ADD CONSTRAINT "AffiliateGrant_grantorStoreId_fkey" FOREIGN KEY ("grantorStoreId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AffiliateGrant" ADD CONSTRAINT "AffiliateGrant_affiliateStoreId_fkey" FOREIGN KEY ("affiliateStoreId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AffiliateGrant" ADD CONSTRAINT "AffiliateGrant_posId_fkey" FOREIGN KEY ("posId") REFERENCES "Pos"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notice" ADD CONSTRAINT "Notice_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboxMessage" ADD CONSTRAINT "OutboxMessage_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DailyStoreStats" ADD CONSTRAINT "DailyStoreStats_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DailyStoreStats" ADD CONSTRAINT "DailyStoreStats_acquirerId_fkey" FOREIGN KEY ("acquirerId") REFERENCES "Acquirer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DailyDeclineStats" ADD CONSTRAINT "DailyDeclineStats_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DailyDeclineStats" ADD CONSTRAINT "DailyDeclineStats_acquirerId_fkey" FOREIGN KEY ("acquirerId") REFERENCES "Acquirer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written constraints the Prisma schema language cannot express.
-- Money is a positive count of minor units in an ISO 4217 currency.
ALTER TABLE "Order" ADD CONSTRAINT "Order_amount_positive" CHECK ("amount" > 0);
ALTER TABLE "Order" ADD CONSTRAINT "Order_currency_iso4217" CHECK ("currency" ~ '^[A-Z]{3}$');
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_amount_positive" CHECK ("amount" > 0);
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_currency_iso4217" CHECK ("currency" ~ '^[A-Z]{3}$');
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_captured_within_amount" CHECK ("capturedAmount" >= 0 AND "capturedAmount" <= "amount");
ALTER TABLE "Payment" ADD CONSTRAINT "Payment_refunded_within_captured" CHECK ("refundedAmount" >= 0 AND "refundedAmount" <= "capturedAmount");
ALTER TABLE "PaymentTransaction" ADD CONSTRAINT "PaymentTransaction_amount_nonnegative" CHECK ("amount" >= 0);
ALTER TABLE "AffiliateGrant" ADD CONSTRAINT "AffiliateGrant_period" CHECK ("validUntil" > "validFrom");
ALTER TABLE "AffiliateGrant" ADD CONSTRAINT "AffiliateGrant_max_amount_positive" CHECK ("maxAmount" IS NULL OR "maxAmount" > 0);
ALTER TABLE "Certificate" ADD CONSTRAINT "Certificate_validity" CHECK ("notAfter" > "notBefore");
ALTER TABLE "CertificateExpiryAlert" ADD CONSTRAINT "CertificateExpiryAlert_threshold" CHECK ("thresholdDays" > 0);
ALTER TABLE "Store" ADD CONSTRAINT "Store_alert_days" CHECK ("certificateAlertDays" BETWEEN 1 AND 365);
ALTER TABLE "BinRange" ADD CONSTRAINT "BinRange_bounds" CHECK ("binFrom" ~ '^[0-9]{6,8}$' AND "binTo" ~ '^[0-9]{6,8}$' AND length("binFrom") = length("binTo") AND "binFrom" <= "binTo");
ALTER TABLE "AuthSession" ADD CONSTRAINT "AuthSession_one_subject" CHECK (("storeUserId" IS NULL) <> ("operatorUserId" IS NULL));
-- Lower-case e-mail addresses, so uniqueness cannot be dodged by case.
ALTER TABLE "StoreUser" ADD CONSTRAINT "StoreUser_email_lowercase" CHECK ("email" = lower("email"));
ALTER TABLE "OperatorUser" ADD CONSTRAINT "OperatorUser_email_lowercase" CHECK ("email" = lower("email"));
