import { redirect } from 'next/navigation';
import { requireAnyStoreUser } from '@/lib/auth/current';

/** /console opens the signed-in user's own store. */
export default async function ConsoleHome() {
  const user = await requireAnyStoreUser();
  redirect(`/console/stores/${user.storeId}`);
}
