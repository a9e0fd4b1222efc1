import type { PrincipalKind } from '@/lib/auth/authenticate';

declare module 'next-auth/jwt' {
  interface JWT {
    sid?: string;
    kind?: PrincipalKind;
  }
}

declare module 'next-auth' {
  interface Session {
    kind?: PrincipalKind;
  }
}
