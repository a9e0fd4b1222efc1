import { db } from '@/lib/db/client';

/**
 * What the certificates page shows: every POS with its acquirers and their
 * current certificates, the latest "renew all" run with its items, and the
 * certificates that no longer serve. Optionally one POS only.
 */
export async function getCertificateOverview(storeId: string, options: { posId?: string } = {}) {
  const posFilter = options.posId ? { id: options.posId } : {};
  const [poses, latestRun, history] = await Promise.all([
    db().pos.findMany({
      where: { storeId, ...posFilter },
      orderBy: { name: 'asc' },
      select: {
        id: true,
        name: true,
        status: true,
        acquirers: {
          where: { status: { not: 'DISABLED' } },
          orderBy: { acquirer: { name: 'asc' } },
          select: {
            id: true,
            status: true,
            busySince: true,
            acquirer: { select: { name: true, brands: true } },
            contract: { select: { merchantNumber: true, status: true, certificateAcquisitionNumberHash: true } },
            certificates: {
              where: { status: 'ACTIVE' },
              orderBy: { usage: 'asc' },
              select: { id: true, usage: true, serialNumber: true, notBefore: true, notAfter: true, status: true },
            },
          },
        },
      },
    }),
    db().certificateRenewalRun.findFirst({
      where: { storeId },
      orderBy: { createdAt: 'desc' },
      select: {
        id: true,
        status: true,
        createdAt: true,
        finishedAt: true,
        posId: true,
        items: {
          orderBy: [{ posAcquirer: { pos: { name: 'asc' } } }, { posAcquirer: { acquirer: { name: 'asc' } } }],
          select: {
            id: true,
            status: true,
            errorMessage: true,
            finishedAt: true,
            posAcquirer: { select: { pos: { select: { name: true } }, acquirer: { select: { name: true } } } },
          },
        },
      },
    }),
    db().certificate.findMany({
      where: { storeId, status: { not: 'ACTIVE' }, ...(options.posId ? { posAcquirer: { posId: options.posId } } : {}) },
      orderBy: { updatedAt: 'desc' },
      take: 50,
      select: {
        id: true,
        usage: true,
        serialNumber: true,
        notAfter: true,
        status: true,
        revokedAt: true,
        posAcquirer: { select: { pos: { select: { name: true } }, acquirer: { select: { name: true } } } },
      },
    }),
  ]);
  return {
    poses: poses.map((pos) => ({
      ...pos,
      acquirers: pos.acquirers.map(({ contract, ...link }) => ({
        ...link,
        merchantNumber: contract.merchantNumber,
        contractStatus: contract.status,
        // The first registration under a contract needs the number the acquirer e-mailed at enrolment.
        needsAcquisitionNumber: contract.certificateAcquisitionNumberHash !== null,
      })),
    })),
    latestRun,
    history,
  };
}
