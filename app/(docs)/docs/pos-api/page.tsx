import type { Metadata } from 'next';
import Link from 'next/link';
import { connection } from 'next/server';
import { DocText, FieldTable, MethodBadge, OperationSection } from '@/components/docs/api-reference';
import { outlineOperations, outlineSchema } from '@/lib/http/openapi-outline';
import { posApiDocument } from '@/lib/payments/openapi';

export const metadata: Metadata = { title: 'POS API reference' };

const ERROR_SCHEMA = 'Error';

/** The POS API reference, rendered on the server from the same OpenAPI document /api/v1/pos/openapi.json serves. */
export default async function PosApiDocsPage() {
  // Rendered per request: the document names this deployment's address (APP_URL), known only at run time.
  await connection();
  const document = posApiDocument();
  const operations = outlineOperations(document);
  const tags = document.tags ?? [];
  const baseUrl = document.servers?.[0]?.url ?? '';

  return (
    <main className="mx-auto max-w-5xl px-6 py-12">
      <Link href="/" className="text-lg font-semibold tracking-tight text-slate-900">
        ServerPOS
      </Link>
      <header className="mt-8 space-y-3">
        <h1 className="text-3xl font-semibold tracking-tight text-slate-900">{document.info.title}</h1>
        <p className="text-sm text-slate-500">Version {document.info.version}</p>
        <DocText text={document.info.description ?? null} className="max-w-3xl text-slate-700" />
        <p className="text-sm text-slate-700">
          Base URL: <code className="font-mono">{baseUrl}</code> · Machine-readable:{' '}
          <a className="text-brand-600 underline" href="/api/v1/pos/openapi.json">
            OpenAPI 3.1 document (JSON)
          </a>
        </p>
      </header>

      <nav aria-label="Operations" className="mt-10 rounded-lg border border-slate-200 bg-white p-5">
        <h2 className="text-sm font-semibold uppercase tracking-wide text-slate-600">Operations</h2>
        <ul className="mt-3 space-y-1 text-sm">
          {operations.map((operation) => (
            <li key={operation.id} className="flex items-center gap-2">
              <MethodBadge method={operation.method} />
              <a className="font-mono text-brand-600 underline" href={`#${operation.id}`}>
                {operation.path}
              </a>
              {operation.summary ? <span className="text-slate-600">— {operation.summary}</span> : null}
            </li>
          ))}
        </ul>
      </nav>

      <section aria-labelledby="authentication" className="mt-12 space-y-2">
        <h2 id="authentication" className="text-xl font-semibold">Authentication</h2>
        <p className="text-slate-700">
          Every request carries one of the POS’s API keys as <code className="font-mono">Authorization: Bearer spk_…</code>. Keys are created on the console’s POS page and
          shown once. A missing, wrong or revoked key answers 401 <code className="font-mono">unauthenticated</code>. A POS sees only its own orders and payments: anything
          else is 404.
        </p>
      </section>

      <section aria-labelledby="idempotency" className="mt-10 space-y-2">
        <h2 id="idempotency" className="text-xl font-semibold">Idempotency</h2>
        <p className="text-slate-700">
          Every POST needs an <code className="font-mono">Idempotency-Key</code> header: 1–255 printable ASCII characters (a UUID will do), new for every new request. Send the
          same request again with the same key — after a timeout, say — and you get the first answer again, marked{' '}
          <code className="font-mono">Idempotent-Replayed: true</code>, without the work being done twice. The same key with a different body is refused (422{' '}
          <code className="font-mono">idempotency_key_reused</code>); while the first request is still running a repeat waits for it, up to about 10 seconds, then answers
          409 <code className="font-mono">idempotency_request_in_progress</code>. Failures on our side (5xx) are not remembered, so a retry runs again; other answers are
          remembered for 24 hours.
        </p>
      </section>

      <section aria-labelledby="errors" className="mt-10 space-y-3">
        <h2 id="errors" className="text-xl font-semibold">Errors</h2>
        <p className="text-slate-700">
          Every failure answers with a 4xx or 5xx status and this body. Branch on <code className="font-mono">code</code>; show <code className="font-mono">message</code>.
        </p>
        <FieldTable rows={outlineSchema(document, ERROR_SCHEMA)} caption="The error body" />
      </section>

      {tags.map((tag) => {
        const tagged = operations.filter((operation) => operation.tag === tag.name);
        if (tagged.length === 0) return null;
        return (
          <section key={tag.name} aria-labelledby={`tag-${tag.name}`} className="mt-14 space-y-8">
            <div>
              <h2 id={`tag-${tag.name}`} className="text-2xl font-semibold">{tag.name}</h2>
              <DocText text={tag.description ?? null} className="mt-1 text-slate-600" />
            </div>
            {tagged.map((operation) => (
              <OperationSection key={operation.id} operation={operation} errorSchemaName={ERROR_SCHEMA} />
            ))}
          </section>
        );
      })}
    </main>
  );
}
