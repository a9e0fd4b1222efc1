import { randomUUID } from 'node:crypto';
import { hashPin } from '@/lib/auth/pin';
import { db } from '@/lib/db/client';
import type { ContractStatus } from '@/lib/db/generated/prisma/enums';

/** An acquirer of its own (unique code and name), written straight to the database. */
export async function createAcquirer(label = 'ACQ') {
  const code = `${label}-${randomUUID().slice(0, 8)}`;
  return db().acquirer.create({
    data: { code, name: `Acquirer ${code}`, brands: ['VISA'], gatewayUrl: 'http://127.0.0.1:1/set' },
    select: { id: true, code: true, name: true },
  });
}

/** A store's contract with a new acquirer, with a recovery PIN when `pin` is given. */
export async function createContract(options: { storeId: string; status?: ContractStatus; pin?: string; merchantNumber?: string; acquirerId?: string }) {
  const acquirer = options.acquirerId ? await db().acquirer.findUniqueOrThrow({ where: { id: options.acquirerId }, select: { id: true, code: true, name: true } }) : await createAcquirer();
  const merchantNumber = options.merchantNumber ?? `M-${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`;
  const contract = await db().acquirerContract.create({
    data: {
      storeId: options.storeId,
      acquirerId: acquirer.id,
      merchantNumber,
      status: options.status ?? 'VERIFIED',
      pinHash: options.pin ? await hashPin(options.pin) : null,
    },
    select: { id: true },
  });
  return { contractId: contract.id, acquirerId: acquirer.id, acquirerName: acquirer.name, merchantNumber };
}
