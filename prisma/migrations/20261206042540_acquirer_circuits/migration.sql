-- CreateEnum
CREATE TYPE "CircuitState" AS ENUM ('CLOSED', 'OPEN', 'HALF_OPEN');

-- CreateTable
CREATE TABLE "AcquirerCircuit" (
    "acquirerId" UUID NOT NULL,
    "instance" VARCHAR(120) NOT NULL,
    "state" "CircuitState" NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "failures" INTEGER NOT NULL,
    "lastFailureAt" TIMESTAMP(3),
    "lastFailure" VARCHAR(200),
    "openedCount" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AcquirerCircuit_pkey" PRIMARY KEY ("acquirerId","instance")
);

-- AddForeignKey
ALTER TABLE "AcquirerCircuit" ADD CONSTRAINT "AcquirerCircuit_acquirerId_fkey" FOREIGN KEY ("acquirerId") REFERENCES "Acquirer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
