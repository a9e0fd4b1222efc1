import Link from 'next/link';
import type { ReactNode } from 'react';
import { NavLinks, type NavItem } from '@/components/console/nav-links';
import { SignOutButton } from '@/components/console/sign-out-button';

/** The frame of both consoles: header with who is signed in, navigation, content. */
export function AppShell(props: {
  area: string;
  homeHref: string;
  title: ReactNode;
  userName: string;
  nav: NavItem[];
  signOutTo: string;
  children: ReactNode;
}) {
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl items-center justify-between gap-4 px-4 py-3 sm:px-6">
          <div className="flex min-w-0 items-center gap-3">
            <Link href={props.homeHref} className="font-semibold tracking-tight text-slate-900">
              ServerPOS
            </Link>
            <span className="rounded bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600">{props.area}</span>
            <span className="truncate text-sm text-slate-700">{props.title}</span>
          </div>
          <div className="flex items-center gap-3">
            <span className="hidden text-sm text-slate-600 sm:inline" data-testid="signed-in-as">
              {props.userName}
            </span>
            <SignOutButton callbackUrl={props.signOutTo} />
          </div>
        </div>
      </header>
      <div className="mx-auto flex max-w-7xl flex-col gap-6 px-4 py-6 sm:px-6 md:flex-row">
        <aside className="md:w-52 md:shrink-0">
          <NavLinks items={props.nav} label={`${props.area} navigation`} />
        </aside>
        <main className="min-w-0 flex-1">{props.children}</main>
      </div>
    </div>
  );
}
