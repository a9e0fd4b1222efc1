/**
 * An acquirer's ledger: every authorization, decline, capture, reversal and
 * credit it accepted, journaled before the answer leaves, and the state of
 * each transaction (XID) rebuilt from it on start. The answer sent for a
 * request is journaled with its entry, so a repeated request gets the same
 * answer and never a second entry — across restarts too.
 */
import path from 'node:path';
import { Journal } from '../shared/persistence';

export type LedgerEntryType = 'authorization' | 'decline' | 'capture' | 'reversal' | 'credit';

export interface LedgerEntry {
  seq: number;
  at: string;
  type: LedgerEntryType;
  merchantNumber: string;
  posId?: string;
  xid: string;
  /** The request this entry came from: message type and RRPID. */
  request: string;
  amount: number;
  currency: string;
  brand?: string;
  authCode?: string;
  /** Result code: `approved`, a decline reason, `captured`, `reversed`, `credited`. */
  code: string;
  captureId?: string;
  creditId?: string;
  batchId?: string;
  /** Card number's last four digits, for the acquirer's own reports (never the whole number). */
  last4?: string;
}

interface JournalRecord {
  entries: LedgerEntry[];
  /** Idempotency key of the request and the raw answer it got. */
  requestKey?: string;
  answer?: string;
}

export interface Transaction {
  xid: string;
  merchantNumber: string;
  currency: string;
  status: 'authorized' | 'declined' | 'captured' | 'reversed' | 'credited';
  authCode?: string;
  authorized: number;
  captured: number;
  credited: number;
  lastCode: string;
  captureIds: Map<string, string>;
  creditIds: Map<string, string>;
}

export class Ledger {
  private readonly journal: Journal<JournalRecord>;
  private readonly entries: LedgerEntry[] = [];
  private readonly transactions = new Map<string, Transaction>();
  private readonly answers = new Map<string, string>();

  constructor(acquirerId: string, dataDir: string) {
    this.journal = new Journal(path.join(dataDir, 'acquirers', acquirerId, 'ledger.jsonl'));
    for (const record of this.journal.readAll()) this.apply(record);
  }

  private apply(record: JournalRecord): void {
    for (const entry of record.entries) {
      this.entries.push(entry);
      this.applyEntry(entry);
    }
    if (record.requestKey && record.answer) this.answers.set(record.requestKey, record.answer);
  }

  private applyEntry(entry: LedgerEntry): void {
    const key = `${entry.merchantNumber}|${entry.xid}`;
    let transaction = this.transactions.get(key);
    if (entry.type === 'authorization' || entry.type === 'decline') {
      transaction = {
        xid: entry.xid,
        merchantNumber: entry.merchantNumber,
        currency: entry.currency,
        status: entry.type === 'authorization' ? 'authorized' : 'declined',
        ...(entry.authCode ? { authCode: entry.authCode } : {}),
        authorized: entry.type === 'authorization' ? entry.amount : 0,
        captured: 0,
        credited: 0,
        lastCode: entry.code,
        captureIds: new Map(),
        creditIds: new Map(),
      };
      this.transactions.set(key, transaction);
      return;
    }
    if (!transaction) return;
    transaction.lastCode = entry.code;
    if (entry.type === 'capture') {
      transaction.captured += entry.amount;
      transaction.status = 'captured';
      if (entry.captureId) transaction.captureIds.set(entry.captureId, entry.code);
    } else if (entry.type === 'reversal') {
      transaction.authorized = entry.amount;
      transaction.status = entry.amount === 0 ? 'reversed' : 'authorized';
    } else if (entry.type === 'credit') {
      transaction.credited += entry.amount;
      transaction.status = 'credited';
      if (entry.creditId) transaction.creditIds.set(entry.creditId, entry.code);
    }
  }

  /** The answer already given to this request, if any. */
  answerFor(requestKey: string): string | undefined {
    return this.answers.get(requestKey);
  }

  transaction(merchantNumber: string, xid: string): Transaction | undefined {
    return this.transactions.get(`${merchantNumber}|${xid}`);
  }

  /** Journals entries with the answer they produced, then applies them. */
  record(entries: Omit<LedgerEntry, 'seq' | 'at'>[], requestKey: string, answer: string, now = new Date()): void {
    const full = entries.map((entry, index) => ({ ...entry, seq: this.entries.length + index + 1, at: now.toISOString() }));
    const record: JournalRecord = { entries: full, requestKey, answer };
    this.journal.append(record);
    this.apply(record);
  }

  /** Entries for reconciliation and settlement, filtered. */
  query(filter: { merchantNumber?: string; xid?: string; type?: string; sinceSeq?: number; limit?: number }): LedgerEntry[] {
    const limit = Math.min(filter.limit ?? 1000, 10_000);
    const out: LedgerEntry[] = [];
    for (const entry of this.entries) {
      if (filter.sinceSeq !== undefined && entry.seq <= filter.sinceSeq) continue;
      if (filter.merchantNumber && entry.merchantNumber !== filter.merchantNumber) continue;
      if (filter.xid && entry.xid !== filter.xid) continue;
      if (filter.type && entry.type !== filter.type) continue;
      out.push(entry);
      if (out.length >= limit) break;
    }
    return out;
  }
}
