import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma as PrismaRuntime, PrismaClient } from '@/lib/db/generated/prisma/client';
import { env } from '@/lib/env';

export type { Prisma } from '@/lib/db/generated/prisma/client';
export type Db = PrismaClient;
/** A transaction client, as handed to `db().$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

const globalForPrisma = globalThis as unknown as { serverposPrisma?: PrismaClient };

export function createPrismaClient(databaseUrl: string, poolSize = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: poolSize }) });
}

/** The process-wide Prisma client (kept across hot reloads in development). */
export function db(): PrismaClient {
  globalForPrisma.serverposPrisma ??= createPrismaClient(env().DATABASE_URL);
  return globalForPrisma.serverposPrisma;
}

/** True when a statement failed on a unique constraint (Prisma's P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof PrismaRuntime.PrismaClientKnownRequestError && error.code === 'P2002';
}
