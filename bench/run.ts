/**
 * `npm run bench [-- --only=part,part] [--quick]`: the performance suite (not
 * part of `npm test`). It measures on the machine it runs on, prints one
 * table, writes bench/results/bench-<timestamp>.json, and exits with status 1
 * when a figure misses its target or could not be measured. docs/performance.md
 * describes each part and keeps the latest results.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { authorizationsPart } from './authorizations';
import { certificates } from './certificates';
import { cryptoLimitPart } from './crypto-limit';
import { dashboards } from './dashboards';
import type { BenchPart, BenchContext, PartResult } from './support/part';
import { verdictOf, type Figure } from './support/figures';
import { describeMachine } from './support/machine';
import { startPostgresServer, type PostgresServer } from '@/lib/testing/postgres-server';

const parts: BenchPart[] = [cryptoLimitPart, authorizationsPart, dashboards, certificates];

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
const unknown = (only ?? []).filter((name) => !parts.some((part) => part.name === name));
if (unknown.length > 0) {
  console.error(`bench: no part named ${unknown.join(', ')} (parts: ${parts.map((part) => part.name).join(', ')})`);
  process.exit(2);
}

let postgres: Promise<PostgresServer> | undefined;
const earlier = new Map<string, Figure>();
const results: { part: string; title: string; seconds: number; error?: string; result?: PartResult }[] = [];

for (const part of parts.filter((candidate) => !only || only.includes(candidate.name))) {
  const context: BenchContext = {
    quick,
    postgres: () => (postgres ??= startPostgresServer({ dataDir: '.data/bench/postgres', externalUrl: process.env.BENCH_DATABASE_URL })),
    earlier,
    log: (line) => process.stderr.write(`[${part.name}] ${line}\n`),
  };
  context.log(`— ${part.title}`);
  const started = performance.now();
  try {
    const result = await part.run(context);
    for (const figure of result.figures) earlier.set(figure.id, figure);
    results.push({ part: part.name, title: part.title, seconds: (performance.now() - started) / 1000, result });
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    context.log(`failed: ${message}`);
    results.push({ part: part.name, title: part.title, seconds: (performance.now() - started) / 1000, error: message.split('\n')[0] });
  }
}

const server = postgres ? await postgres.catch(() => undefined) : undefined;
await server?.stop().catch((error: unknown) => console.error(`bench: stopping PostgreSQL: ${String(error)}`));
const machine = describeMachine(server?.version);

// The table.
const format = (value: number | null) => (value === null ? '—' : Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2));
const rows = results.flatMap(({ title, error, result }) => [
  { label: `${title}${error ? ` — FAILED: ${error}` : ''}`, value: '', target: '', verdict: '' },
  ...(result?.figures ?? []).map((figure) => ({
    label: `  ${figure.label}`,
    value: `${format(figure.value)} ${figure.unit}`,
    target: figure.target ? `${figure.target.op} ${figure.target.value} ${figure.unit}` : '',
    verdict: { pass: 'ok', fail: 'MISSED', info: '' }[verdictOf(figure)],
  })),
]);
const width = (key: 'label' | 'value' | 'target') => Math.max(...rows.map((row) => row[key].length), 6);
console.log(`\nServerPOS benchmarks${quick ? ' (--quick: not the issue’s sizes)' : ''} — ${machine.cores} × ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}${machine.postgres ? `, ${machine.postgres}` : ''}`);
console.log(`${'figure'.padEnd(width('label'))}  ${'value'.padStart(width('value'))}  ${'target'.padEnd(width('target'))}`);
for (const row of rows) console.log(`${row.label.padEnd(width('label'))}  ${row.value.padStart(width('value'))}  ${row.target.padEnd(width('target'))}  ${row.verdict}`);
const notes = results.flatMap(({ result }) => (result?.figures ?? []).filter((figure) => figure.note).map((figure) => `  ${figure.label}: ${figure.note}`));
if (notes.length) console.log(`\n${notes.join('\n')}`);

const missed = results.flatMap(({ result }) => (result?.figures ?? []).filter((figure) => verdictOf(figure) === 'fail'));
const failedParts = results.filter((result) => result.error);
const file = path.join('bench', 'results', `bench-${new Date().toISOString().replaceAll(':', '-').replace('.', '-')}.json`);
await mkdir(path.dirname(file), { recursive: true });
await writeFile(file, JSON.stringify({ at: new Date().toISOString(), quick, machine, parts: results, passed: missed.length === 0 && failedParts.length === 0 }, null, 2) + '\n');
console.log(`\nresults: ${file}`);
if (missed.length > 0 || failedParts.length > 0) {
  console.log(`FAILED: ${[...missed.map((figure) => `${figure.label} missed its target`), ...failedParts.map((part) => `${part.title} did not finish`)].join('; ')}`);
  process.exit(1);
}
console.log('every target met');
