'use client';

import { useActionState } from 'react';
import { ActionForm } from '@/components/console/action-form';
import { StatusBadge } from '@/components/console/status-badge';
import type { CredentialFormState } from '@/components/operator/credential-form-state';
import { OneTimeSecret } from '@/components/console/one-time-secret';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormField, fieldAria } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { idleForm, type FormState } from '@/lib/http/form-state-shared';

export interface CredentialRow {
  credentialId: string;
  label: string;
  created: string;
  lastUsed: string | null;
  expires: string | null;
  revoked: string | null;
  active: boolean;
}

/** The one time a secret is visible: the acquirer's administrator must copy it now. */
function NewSecretNotice(props: { message: string; credentialId: string; secret: string }) {
  return (
    <OneTimeSecret message={props.message} secret={props.secret} copyLabel="Copy secret" testId="new-credential-notice" secretTestId="new-credential-secret">
      Copy the secret now and hand it to the acquirer over a secure channel. It is shown only this once: ServerPOS keeps only a hash of it. The acquirer sends it as the Bearer token with the credential
      id <code className="font-mono text-xs">{props.credentialId}</code>.
    </OneTimeSecret>
  );
}

/**
 * An acquirer's API credentials: issue (label), rotate (the old one keeps working for 24 hours) and revoke.
 * Issue and rotate share one action state, so the new secret stays on screen above the list.
 */
export function ApiCredentialsPanel(props: {
  acquirerId: string;
  acquirerName: string;
  credentials: CredentialRow[];
  credentialAction: (state: CredentialFormState, formData: FormData) => Promise<CredentialFormState>;
  revokeAction: (state: FormState, formData: FormData) => Promise<FormState>;
}) {
  const [state, formAction, pending] = useActionState<CredentialFormState, FormData>(props.credentialAction, idleForm);
  const labelError = state.status === 'error' ? state.fields.label : undefined;
  const labelId = `credential-label-${props.acquirerId}`;
  return (
    <div className="space-y-4">
      {state.status === 'ok' && state.secret && state.credentialId ? <NewSecretNotice message={state.message} credentialId={state.credentialId} secret={state.secret} /> : null}
      {state.status === 'ok' && !state.secret ? (
        <Alert variant="success">
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
      {state.status === 'error' && !labelError ? (
        <Alert variant="error">
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
      <form action={formAction} className="flex flex-wrap items-end gap-3" noValidate aria-label={`Issue an API credential for ${props.acquirerName}`}>
        <input type="hidden" name="acquirerId" value={props.acquirerId} />
        <input type="hidden" name="intent" value="issue" />
        <div className="min-w-64 flex-1">
          <FormField id={labelId} label="Credential label" hint="Which system of the acquirer uses it, e.g. “Back office”." {...(labelError ? { error: labelError } : {})}>
            <Input id={labelId} name="label" maxLength={80} autoComplete="off" {...fieldAria(labelId, { hint: true, ...(labelError ? { error: labelError } : {}) })} />
          </FormField>
        </div>
        <Button type="submit" disabled={pending}>
          {pending ? 'Working…' : 'Issue credential'}
        </Button>
      </form>
      {props.credentials.length === 0 ? (
        <p className="text-sm text-slate-600">No API credential yet. The acquirer needs one to call the acquirer admin API.</p>
      ) : (
        <Table aria-label={`API credentials of ${props.acquirerName}`} data-testid="credentials-table">
          <TableHeader>
            <TableRow>
              <TableHead>Credential id</TableHead>
              <TableHead>Label</TableHead>
              <TableHead>Created</TableHead>
              <TableHead>Last used</TableHead>
              <TableHead>Expires</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {props.credentials.map((credential) => (
              <TableRow key={credential.credentialId} data-testid={`credential-${credential.credentialId}`}>
                <TableCell className="font-mono text-xs">{credential.credentialId}</TableCell>
                <TableCell className="font-medium">{credential.label}</TableCell>
                <TableCell>{credential.created}</TableCell>
                <TableCell>{credential.lastUsed ?? 'Never'}</TableCell>
                <TableCell>{credential.expires ?? '—'}</TableCell>
                <TableCell>
                  <StatusBadge status={credential.revoked ? 'REVOKED' : credential.active ? 'ACTIVE' : 'EXPIRED'} />
                </TableCell>
                <TableCell>
                  {credential.active ? (
                    <div className="flex flex-wrap items-start gap-2">
                      <form action={formAction}>
                        <input type="hidden" name="acquirerId" value={props.acquirerId} />
                        <input type="hidden" name="intent" value="rotate" />
                        <input type="hidden" name="credentialId" value={credential.credentialId} />
                        <Button type="submit" size="sm" variant="outline" disabled={pending} aria-label={`Rotate ${credential.label} (${credential.credentialId})`}>
                          Rotate
                        </Button>
                      </form>
                      <ActionForm
                        action={props.revokeAction}
                        hidden={{ acquirerId: props.acquirerId, credentialId: credential.credentialId }}
                        label="Revoke"
                        pendingLabel="Revoking…"
                        variant="destructive"
                        confirm="Stops working at once"
                      />
                    </div>
                  ) : (
                    <span className="text-xs text-slate-500">{credential.revoked ? `Revoked ${credential.revoked}` : 'Ended'}</span>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
