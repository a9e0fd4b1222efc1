-- CreateTable
CREATE TABLE "MonthlyStoreTotals" (
    "month" DATE NOT NULL,
    "storeId" UUID NOT NULL,
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

    CONSTRAINT "MonthlyStoreTotals_pkey" PRIMARY KEY ("month","storeId","currency")
);

-- AddForeignKey
ALTER TABLE "MonthlyStoreTotals" ADD CONSTRAINT "MonthlyStoreTotals_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
