import type { Db, Prisma, Tx } from '@/lib/db/client';
import type { ContractStatus } from '@/lib/db/generated/prisma/enums';

/**
 * The contract statuses that make a store one of an acquirer's stores for its notices: verified, and
 * being withdrawn (the store is the acquirer's merchant until the acquirer confirms the withdrawal, and
 * what the acquirer announces still concerns it). An application not yet verified, a rejected one and a
 * finished withdrawal do not.
 */
export const NOTICE_CONTRACT_STATUSES = ['VERIFIED', 'WITHDRAWING'] as const satisfies readonly ContractStatus[];

/** The acquirers whose acquirer-targeted notices this store sees. */
export async function noticeAcquirerIdsOfStore(client: Db | Tx, storeId: string): Promise<string[]> {
  const contracts = await client.acquirerContract.findMany({ where: { storeId, status: { in: [...NOTICE_CONTRACT_STATUSES] } }, select: { acquirerId: true } });
  return contracts.map((contract) => contract.acquirerId);
}

/**
 * The notices addressed to a store, whatever their schedule: its own (storeId), those targeted at an
 * acquirer it holds a contract with (see NOTICE_CONTRACT_STATUSES), and those for every store (no store,
 * no acquirers). One definition for what a store lists and what it may dismiss.
 */
export function noticesTargetedAt(storeId: string, acquirerIds: readonly string[]): Prisma.NoticeWhereInput {
  const targets: Prisma.NoticeWhereInput[] = [{ storeId }, { storeId: null, acquirerIds: { isEmpty: true } }];
  if (acquirerIds.length > 0) targets.push({ storeId: null, acquirerIds: { hasSome: [...acquirerIds] } });
  return { OR: targets };
}

/** Notices live at `now`: started (publishedAt ≤ now), not yet ended (now < expiresAt), not withdrawn. */
export function noticesLiveAt(now: Date): Prisma.NoticeWhereInput {
  return { withdrawnAt: null, publishedAt: { lte: now }, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
}
