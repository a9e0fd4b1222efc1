'use client';

import { useActionState } from 'react';
import type { ApiKeyFormState } from '@/components/console/api-key-form-state';
import { ActionForm } from '@/components/console/action-form';
import { StatusBadge } from '@/components/console/status-badge';
import { OneTimeSecret } from '@/components/console/one-time-secret';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormField, fieldAria } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { idleForm, type FormState } from '@/lib/http/form-state-shared';

export interface ApiKeyRow {
  id: string;
  label: string;
  prefix: string;
  created: string;
  lastUsed: string | null;
  revoked: string | null;
}

/** The one time a new key is visible: copy it now or rotate it later. */
function NewKeyNotice(props: { message: string; apiKey: string }) {
  return (
    <OneTimeSecret message={props.message} secret={props.apiKey} copyLabel="Copy key" testId="new-api-key-notice" secretTestId="new-api-key">
      Copy this key now and put it in your shop server’s configuration. It is shown only this once: ServerPOS keeps only a hash of it.
    </OneTimeSecret>
  );
}

/**
 * A POS's API keys: create (label), list, rotate and revoke. Creation and rotation share one action state,
 * so the newest key shown stays on screen above the list even when its row moves or the old row is revoked.
 */
export function ApiKeysPanel(props: {
  storeId: string;
  posId: string;
  posName: string;
  keys: ApiKeyRow[];
  keyAction: (state: ApiKeyFormState, formData: FormData) => Promise<ApiKeyFormState>;
  revokeAction: (state: FormState, formData: FormData) => Promise<FormState>;
}) {
  const [state, formAction, pending] = useActionState<ApiKeyFormState, FormData>(props.keyAction, idleForm);
  const labelId = `key-label-${props.posId}`;
  const labelError = state.status === 'error' ? state.fields.label : undefined;
  return (
    <div className="space-y-4">
      {state.status === 'ok' && state.apiKey ? <NewKeyNotice message={state.message} apiKey={state.apiKey} /> : null}
      {state.status === 'error' && !labelError ? (
        <Alert variant="error">
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
      <form action={formAction} className="flex flex-wrap items-end gap-3" noValidate>
        <input type="hidden" name="storeId" value={props.storeId} />
        <input type="hidden" name="posId" value={props.posId} />
        <input type="hidden" name="intent" value="create" />
        <div className="min-w-64 flex-1">
          <FormField id={labelId} label="Key label" hint="For telling keys apart, e.g. “Production shop”." {...(labelError ? { error: labelError } : {})}>
            <Input id={labelId} name="label" maxLength={80} autoComplete="off" {...fieldAria(labelId, { hint: true, ...(labelError ? { error: labelError } : {}) })} />
          </FormField>
        </div>
        <Button type="submit" disabled={pending}>
          {pending ? 'Working…' : 'Create API key'}
        </Button>
      </form>
      {props.keys.length === 0 ? (
        <p className="text-sm text-slate-600">No API key yet. Your shop’s server needs one to call ServerPOS for this POS.</p>
      ) : (
        <Table aria-label={`API keys of ${props.posName}`}>
          <TableHeader>
            <TableRow>
              <TableHead>Label</TableHead>
              <TableHead>Prefix</TableHead>
              <TableHead>Created</TableHead>
              <TableHead>Last used</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {props.keys.map((key) => (
              <TableRow key={key.id} data-testid={`api-key-${key.prefix}`}>
                <TableCell className="font-medium">{key.label}</TableCell>
                <TableCell>
                  <code className="font-mono text-xs">spk_{key.prefix}_…</code>
                </TableCell>
                <TableCell>{key.created}</TableCell>
                <TableCell>{key.lastUsed ?? 'Never'}</TableCell>
                <TableCell>{key.revoked ? <StatusBadge status="REVOKED" /> : <StatusBadge status="ACTIVE" />}</TableCell>
                <TableCell>
                  {key.revoked ? (
                    <span className="text-xs text-slate-500">Revoked {key.revoked}</span>
                  ) : (
                    <div className="flex flex-wrap items-start gap-2">
                      <form action={formAction}>
                        <input type="hidden" name="storeId" value={props.storeId} />
                        <input type="hidden" name="posId" value={props.posId} />
                        <input type="hidden" name="intent" value="rotate" />
                        <input type="hidden" name="apiKeyId" value={key.id} />
                        <Button type="submit" size="sm" variant="outline" disabled={pending} aria-label={`Rotate ${key.label} (${key.prefix})`}>
                          Rotate
                        </Button>
                      </form>
                      <ActionForm action={props.revokeAction} hidden={{ storeId: props.storeId, posId: props.posId, apiKeyId: key.id }} label="Revoke" pendingLabel="Revoking…" variant="destructive" />
                    </div>
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
