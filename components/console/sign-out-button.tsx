'use client';

import { useState } from 'react';
import { signOut } from 'next-auth/react';
import { Button } from '@/components/ui/button';

/** Ends the session on the server (the session row) as well as the cookie. */
export function SignOutButton({ callbackUrl }: { callbackUrl: string }) {
  const [pending, setPending] = useState(false);
  return (
    <Button
      variant="outline"
      size="sm"
      disabled={pending}
      onClick={async () => {
        setPending(true);
        await signOut({ callbackUrl });
      }}
    >
      {pending ? 'Signing out…' : 'Sign out'}
    </Button>
  );
}
