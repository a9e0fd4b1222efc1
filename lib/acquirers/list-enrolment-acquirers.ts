import { db } from '@/lib/db/client';

export interface EnrolmentAcquirer {
  code: string;
  name: string;
  brands: string[];
}

/** The acquirers a store can apply to (ACTIVE ones), by name; public knowledge, shown on the sign-up form. */
export function listEnrolmentAcquirers(): Promise<EnrolmentAcquirer[]> {
  return db().acquirer.findMany({ where: { status: 'ACTIVE' }, orderBy: { name: 'asc' }, select: { code: true, name: true, brands: true } });
}
