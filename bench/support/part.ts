import type { PostgresServer } from '@/lib/testing/postgres-server';
import type { Figure } from './figures';

export interface BenchContext {
  /** --quick: smaller datasets and shorter runs, for trying the suite out; its figures are not the issue's. */
  quick: boolean;
  /** The shared PostgreSQL server, started on first use. */
  postgres(): Promise<PostgresServer>;
  /** Figures of the parts that ran before this one (the crypto limit, for the authorizations' ratio). */
  earlier: ReadonlyMap<string, Figure>;
  /** A progress line on stderr, under the part's name. */
  log(line: string): void;
}

export interface PartResult {
  figures: Figure[];
  /** Anything more the JSON should keep (per-concurrency rows, dataset sizes). */
  details?: unknown;
}

export interface BenchPart {
  /** As given to --only. */
  name: string;
  title: string;
  run(context: BenchContext): Promise<PartResult>;
}
