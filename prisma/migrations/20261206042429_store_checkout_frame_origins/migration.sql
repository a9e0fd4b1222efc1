-- AlterTable
ALTER TABLE "Store" ADD COLUMN     "checkoutFrameOrigins" VARCHAR(200)[] DEFAULT ARRAY[]::VARCHAR(200)[];
