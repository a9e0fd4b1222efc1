/**
 * State of a simulated institution on disk, under the config's dataDir:
 * a JSON snapshot written atomically (temp file + rename), and an append-only
 * JSON-lines journal for records that must survive a crash the moment they
 * are accepted (ledger entries).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function readJson<T>(file: string): T | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

export function writeJsonAtomic(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(value, null, 2) + '\n', { mode: 0o600 });
  renameSync(temporary, file);
}

/** An append-only journal of JSON records, one per line. */
export class Journal<T> {
  constructor(private readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
  }

  /** Every record written so far, in order; a torn last line (crash mid-write) is dropped. */
  readAll(): T[] {
    if (!existsSync(this.file)) return [];
    const lines = readFileSync(this.file, 'utf8').split('\n').filter((line) => line.length > 0);
    const records: T[] = [];
    for (const [index, line] of lines.entries()) {
      try {
        records.push(JSON.parse(line) as T);
      } catch (error) {
        if (index === lines.length - 1) break;
        throw error;
      }
    }
    return records;
  }

  /** Appends synchronously: when this returns, the record is in the file. */
  append(record: T): void {
    appendFileSync(this.file, JSON.stringify(record) + '\n', { mode: 0o600 });
  }
}
