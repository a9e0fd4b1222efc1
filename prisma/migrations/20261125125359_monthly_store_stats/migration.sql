-- CreateTable
CREATE TABLE "MonthlyStoreStats" (
    "month" DATE NOT NULL,
    "storeId" UUID NOT NULL,
    "acquirerId" UUID NOT NULL,
    "brand" VARCHAR(20) NOT NULL,
    "currency" CHAR(3) NOT NULL,
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

    CONSTRAINT "MonthlyStoreStats_pkey" PRIMARY KEY ("month","storeId","acquirerId","brand","currency")
);

-- CreateIndex
CREATE INDEX "MonthlyStoreStats_storeId_month_idx" ON "MonthlyStoreStats"("storeId", "month");

-- AddForeignKey
ALTER TABLE "MonthlyStoreStats" ADD CONSTRAINT "MonthlyStoreStats_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MonthlyStoreStats" ADD CONSTRAINT "MonthlyStoreStats_acquirerId_fkey" FOREIGN KEY ("acquirerId") REFERENCES "Acquirer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
