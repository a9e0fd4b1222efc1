import { z } from 'zod';
import { db, type Prisma } from '@/lib/db/client';

const DAY_MS = 86_400_000;
export const EXPIRY_PAGE_SIZE = 100;
export const expiryWindows = ['7', '30', '90', 'expired'] as const;
export type ExpiryWindow = (typeof expiryWindows)[number];

/** Where the previous page ended: the last row's notAfter (ms) and id. */
const cursorPattern = /^(\d{1,15})_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The page's query string; anything unusable falls back to the default rather than failing. */
export const expiryFilterSchema = z.object({
  window: z.enum(expiryWindows).catch('30').default('30'),
  cursor: z.string().max(80).regex(cursorPattern).optional().catch(undefined),
});
export type ExpiryFilter = z.infer<typeof expiryFilterSchema>;

export interface ExpiringCertificateRow {
  id: string;
  usage: 'SIGNATURE' | 'KEY_EXCHANGE';
  serialNumber: string;
  status: string;
  notAfter: Date;
  /** Whole days until notAfter, rounded up; 0 or less once it has ended. */
  daysLeft: number;
  store: { id: string; name: string; status: string };
  pos: { id: string; name: string };
  acquirer: { code: string; name: string };
}

/** Links still in use: neither the store nor the POS's link to the acquirer has been withdrawn. */
const inUse: Prisma.CertificateWhereInput = {
  store: { status: { not: 'WITHDRAWN' } },
  posAcquirer: { status: { not: 'WITHDRAWN' } },
};

/**
 * An expired certificate still matters while its POS has no newer one of the same usage: EXPIRED rows are
 * not superseded by a later renewal (only ACTIVE ones are), so the renewed ones are left out here.
 */
function notRenewed(now: Date): Prisma.CertificateWhereInput {
  const withoutRenewal = (usage: 'SIGNATURE' | 'KEY_EXCHANGE'): Prisma.CertificateWhereInput => ({
    usage,
    posAcquirer: { certificates: { none: { usage, status: 'ACTIVE', notAfter: { gt: now } } } },
  });
  return { OR: [withoutRenewal('SIGNATURE'), withoutRenewal('KEY_EXCHANGE')] };
}

/**
 * Certificates in use across every store that end within 7, 30 or 90 days (soonest first), or that have
 * ended without a renewal ("expired", most recently ended first), with the store, POS and acquirer of each.
 * The window is a range on (status, notAfter), the index the expiry scans use; pages continue by keyset on
 * (notAfter, id), so a certificate renewed meanwhile neither shifts nor repeats rows. `total` counts the
 * whole window.
 */
export async function listExpiringCertificates(options: { filter?: unknown; now?: Date; pageSize?: number } = {}): Promise<{
  rows: ExpiringCertificateRow[];
  total: number;
  nextCursor: string | null;
  filter: ExpiryFilter;
}> {
  const filter = expiryFilterSchema.parse(options.filter ?? {});
  const now = options.now ?? new Date();
  const pageSize = Math.min(Math.max(options.pageSize ?? EXPIRY_PAGE_SIZE, 1), 200);
  const expired = filter.window === 'expired';

  const window: Prisma.CertificateWhereInput = expired
    ? { AND: [{ status: { in: ['ACTIVE', 'EXPIRED'] }, notAfter: { lte: now } }, inUse, notRenewed(now)] }
    : { AND: [{ status: 'ACTIVE', notAfter: { gt: now, lte: new Date(now.getTime() + Number(filter.window) * DAY_MS) } }, inUse] };

  const cursor = filter.cursor ? cursorPattern.exec(filter.cursor) : null;
  const at = cursor ? new Date(Number(cursor[1])) : null;
  const after: Prisma.CertificateWhereInput =
    at && cursor
      ? expired
        ? { OR: [{ notAfter: { lt: at } }, { notAfter: at, id: { lt: cursor[2]! } }] }
        : { OR: [{ notAfter: { gt: at } }, { notAfter: at, id: { gt: cursor[2]! } }] }
      : {};
  const direction = expired ? 'desc' : 'asc';

  const [found, total] = await Promise.all([
    db().certificate.findMany({
      where: { AND: [window, after] },
      orderBy: [{ notAfter: direction }, { id: direction }],
      take: pageSize + 1,
      select: {
        id: true,
        usage: true,
        serialNumber: true,
        status: true,
        notAfter: true,
        store: { select: { id: true, name: true, status: true } },
        posAcquirer: { select: { pos: { select: { id: true, name: true } }, acquirer: { select: { code: true, name: true } } } },
      },
    }),
    db().certificate.count({ where: window }),
  ]);
  const page = found.slice(0, pageSize);
  const last = page.at(-1);
  return {
    rows: page.map(({ posAcquirer, ...row }) => ({
      ...row,
      // `|| 0`: an hour past the end is day 0, not -0.
      daysLeft: Math.ceil((row.notAfter.getTime() - now.getTime()) / DAY_MS) || 0,
      pos: posAcquirer.pos,
      acquirer: posAcquirer.acquirer,
    })),
    total,
    nextCursor: found.length > pageSize && last ? `${last.notAfter.getTime()}_${last.id}` : null,
    filter,
  };
}
