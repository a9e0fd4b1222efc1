import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'ServerPOS', template: '%s · ServerPOS' },
  description: 'Hosted payment POS for virtual stores: certificates, acquirers and payments in one console.',
};

/**
 * Every page is rendered per request: the Content-Security-Policy proxy.ts sets carries a fresh script nonce,
 * and Next.js can put it on its scripts only while rendering (a page prerendered at build time would have
 * scripts without it, which the policy blocks).
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
