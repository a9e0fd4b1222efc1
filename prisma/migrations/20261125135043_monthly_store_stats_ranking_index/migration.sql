-- CreateIndex
CREATE INDEX "MonthlyStoreStats_acquirerId_brand_month_storeId_currency_a_idx" ON "MonthlyStoreStats"("acquirerId", "brand", "month", "storeId", "currency", "authorizationAmount", "authorizationCount");
