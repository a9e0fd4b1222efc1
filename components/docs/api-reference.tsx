import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { FieldRow, OutlineBody, OutlineOperation } from '@/lib/http/openapi-outline';

/** Text from the OpenAPI document with its `code` spans as code. */
export function DocText({ text, className, inline = false }: { text: string | null; className?: string; inline?: boolean }) {
  if (!text) return null;
  const parts = text.split('`').map((part, index): ReactNode => (index % 2 === 1 ? <code key={index} className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.85em]">{part}</code> : part));
  return inline ? <span className={className}>{parts}</span> : <p className={className}>{parts}</p>;
}

const methodVariant = { GET: 'info', POST: 'success', PUT: 'warning', PATCH: 'warning', DELETE: 'danger' } as const;

export function MethodBadge({ method }: { method: string }) {
  return (
    <Badge variant={methodVariant[method as keyof typeof methodVariant] ?? 'neutral'} className="font-mono">
      {method}
    </Badge>
  );
}

export function FieldTable({ rows, caption }: { rows: FieldRow[]; caption: string }) {
  return (
    <Table>
      <caption className="sr-only">{caption}</caption>
      <TableHeader>
        <TableRow>
          <TableHead>Field</TableHead>
          <TableHead>Type</TableHead>
          <TableHead>Description</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.path}>
            <TableCell className="align-top font-mono text-xs whitespace-nowrap">
              {row.path}
              {row.required ? <span className="ml-1 text-red-700" title="required">*</span> : null}
            </TableCell>
            <TableCell className="align-top font-mono text-xs">{row.type}</TableCell>
            <TableCell className="align-top text-slate-700">
              <DocText text={row.description} />
              {row.constraints.length > 0 ? <p className="mt-1 text-xs text-slate-500">{row.constraints.join(' · ')}</p> : null}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function Body({ body, label, errorSchemaName }: { body: OutlineBody; label: string; errorSchemaName: string }) {
  if (body.schemaName === errorSchemaName) {
    return (
      <p className="text-sm text-slate-600">
        Body: <a className="text-brand-600 underline" href="#errors">{errorSchemaName}</a>
      </p>
    );
  }
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-600">
        {body.contentType}
        {body.schemaName ? <> · <span className="font-mono">{body.schemaName}</span></> : null}
      </p>
      {body.fields.length > 0 ? <FieldTable rows={body.fields} caption={label} /> : null}
    </div>
  );
}

export function OperationSection({ operation, errorSchemaName }: { operation: OutlineOperation; errorSchemaName: string }) {
  const title = `${operation.method} ${operation.path}`;
  return (
    <section id={operation.id} aria-labelledby={`${operation.id}-title`} className="scroll-mt-8 space-y-5 border-t border-slate-200 pt-8">
      <div>
        <h3 id={`${operation.id}-title`} className="flex flex-wrap items-center gap-2 text-lg font-semibold">
          <MethodBadge method={operation.method} />
          <span className="font-mono text-base">{operation.path}</span>
        </h3>
        {operation.summary ? <p className="mt-1 font-medium text-slate-800">{operation.summary}</p> : null}
        <DocText text={operation.description} className="mt-2 text-sm text-slate-600" />
      </div>

      {operation.parameters.length > 0 ? (
        <div className="space-y-2">
          <h4 className="text-sm font-semibold text-slate-900">Parameters</h4>
          <Table>
            <caption className="sr-only">Parameters of {title}</caption>
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>In</TableHead>
                <TableHead>Type</TableHead>
                <TableHead>Description</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {operation.parameters.map((parameter) => (
                <TableRow key={`${parameter.in}-${parameter.name}`}>
                  <TableCell className="align-top font-mono text-xs whitespace-nowrap">
                    {parameter.name}
                    {parameter.required ? <span className="ml-1 text-red-700" title="required">*</span> : null}
                  </TableCell>
                  <TableCell className="align-top text-xs">{parameter.in}</TableCell>
                  <TableCell className="align-top font-mono text-xs">{parameter.type}</TableCell>
                  <TableCell className="align-top text-slate-700">
                    <DocText text={parameter.description} />
                    {parameter.constraints.length > 0 ? <p className="mt-1 text-xs text-slate-500">{parameter.constraints.join(' · ')}</p> : null}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      ) : null}

      {operation.requestBody ? (
        <div className="space-y-2">
          <h4 className="text-sm font-semibold text-slate-900">Request body</h4>
          <DocText text={operation.requestBody.description} className="text-sm text-slate-600" />
          <Body body={operation.requestBody} label={`Request body of ${title}`} errorSchemaName={errorSchemaName} />
        </div>
      ) : null}

      <div className="space-y-3">
        <h4 className="text-sm font-semibold text-slate-900">Responses</h4>
        <ul className="space-y-4">
          {operation.responses.map((response) => (
            <li key={response.status} className="space-y-2">
              <p className="text-sm">
                <span className={`font-mono font-semibold ${response.status.startsWith('2') ? 'text-green-700' : 'text-red-700'}`}>{response.status}</span>{' '}
                <DocText text={response.description} className="text-slate-700" inline />
              </p>
              {response.headers.map((header) => (
                <p key={header.name} className="text-xs text-slate-600">
                  Header <code className="font-mono">{header.name}</code>: <DocText text={header.description} inline />
                </p>
              ))}
              {response.body ? <Body body={response.body} label={`${response.status} response of ${title}`} errorSchemaName={errorSchemaName} /> : null}
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
