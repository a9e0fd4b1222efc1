import { describeFields } from '@/components/console/store-info-labels';
import { formatDateTime } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { StoreInfoHistory, StoreInfoRevisionSource } from '@/lib/stores/get-store-info-history';

/** Who reads the history: the store itself ("You") or the ServerPOS operator. */
type Viewer = 'store' | 'operator';

function sourceLabel(source: StoreInfoRevisionSource, viewer: Viewer): string {
  switch (source.kind) {
    case 'store_user':
      return viewer === 'store' ? `You (${source.name})` : `Store user ${source.name}`;
    case 'acquirer':
      return source.name;
    case 'enrolment':
      return 'Enrolment';
    case 'serverpos':
      return 'ServerPOS';
  }
}

/** Which version each acquirer has acknowledged. */
export function AcquirerStoreInfoStatus({ history }: { history: StoreInfoHistory }) {
  if (history.acquirers.length === 0) {
    return <p className="text-sm text-slate-600">No verified acquirer contract yet: your store information stays here until an acquirer has verified your store.</p>;
  }
  return (
    <ul className="divide-y divide-slate-200 rounded-md border border-slate-200" aria-label="Acquirers' copies">
      {history.acquirers.map((acquirer) => (
        <li key={acquirer.contractId} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm" data-testid="acquirer-store-info">
          <span>
            <span className="font-medium text-slate-900">{acquirer.acquirerName}</span> <span className="text-slate-500">({acquirer.merchantNumber})</span>
          </span>
          <span className="text-right">
            {acquirer.upToDate ? (
              <Badge variant="success">Up to date (v{history.currentVersion})</Badge>
            ) : (
              <Badge variant="warning">Sending v{history.currentVersion}…</Badge>
            )}
            {!acquirer.upToDate && acquirer.lastError ? <span className="mt-1 block text-xs text-slate-600">Last attempt: {acquirer.lastError}</span> : null}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Every version of the store information, newest first, with who made it and what it changed. */
export function StoreInfoHistoryTable({ history, viewer = 'store' }: { history: StoreInfoHistory; viewer?: Viewer }) {
  if (history.revisions.length === 0) {
    return (
      <p className="text-sm text-slate-600">
        No change yet: this is the information {viewer === 'store' ? 'your store' : 'the store'} started with (version {history.currentVersion}).
      </p>
    );
  }
  return (
    <Table aria-label="Store information history">
      <TableHeader>
        <TableRow>
          <TableHead>Version</TableHead>
          <TableHead>When</TableHead>
          <TableHead>Changed by</TableHead>
          <TableHead>What changed</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {history.revisions.map((revision) => (
          <TableRow key={revision.version}>
            <TableCell className="font-medium">v{revision.version}</TableCell>
            <TableCell>{formatDateTime(revision.createdAt)}</TableCell>
            <TableCell>{sourceLabel(revision.source, viewer)}</TableCell>
            <TableCell>
              {revision.changedFields === null
                ? revision.source.kind === 'enrolment'
                  ? 'Information at sign-up'
                  : '—'
                : revision.changedFields.length === 0
                  ? revision.source.kind === 'serverpos'
                    ? `No change: ${viewer === 'store' ? 'your' : 'the store’s'} copy re-sent after a conflicting change at an acquirer`
                    : 'No change to these fields'
                  : describeFields(revision.changedFields)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
