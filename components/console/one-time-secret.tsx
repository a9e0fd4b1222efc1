'use client';

import { useState, type ReactNode } from 'react';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

/**
 * The one time a new secret (a POS API key, an acquirer's API credential) is visible, with a copy button:
 * ServerPOS keeps only its hash, so it is never shown again.
 */
export function OneTimeSecret(props: { message: string; secret: string; copyLabel: string; testId: string; secretTestId: string; children: ReactNode }) {
  const [copied, setCopied] = useState(false);
  return (
    <Alert variant="success" data-testid={props.testId}>
      <AlertTitle>{props.message}</AlertTitle>
      <AlertDescription className="space-y-2">
        <p>{props.children}</p>
        <code data-testid={props.secretTestId} className="block break-all rounded border border-green-200 bg-white px-3 py-2 font-mono text-xs text-slate-900">
          {props.secret}
        </code>
        <Button
          size="sm"
          variant="outline"
          onClick={() => {
            void navigator.clipboard?.writeText(props.secret).then(() => setCopied(true));
          }}
        >
          {copied ? 'Copied' : props.copyLabel}
        </Button>
      </AlertDescription>
    </Alert>
  );
}
