/**
 * Fault injection, per acquirer, changed at runtime through the admin port:
 * latency added before the gateway answers, a share of requests answered with
 * a 503 before any processing, a share of replies dropped after processing
 * (the ledger has the entry; the merchant never hears), and refused
 * connections (the gateway port stops listening).
 */
import { z } from 'zod';

export const faultsSchema = z.strictObject({
  latencyMs: z.number().int().min(0).max(120_000).default(0),
  errorRate: z.number().min(0).max(1).default(0),
  dropReplyRate: z.number().min(0).max(1).default(0),
  refuseConnections: z.boolean().default(false),
});

export type Faults = z.infer<typeof faultsSchema>;

export const noFaults: Faults = { latencyMs: 0, errorRate: 0, dropReplyRate: 0, refuseConnections: false };

/** Merges a partial change into the current faults; unknown or out-of-range knobs are refused by the schema. */
export function changeFaults(current: Faults, change: unknown): Faults | { error: string } {
  const partial = faultsSchema.partial().strict().safeParse(change);
  if (!partial.success) {
    const issue = partial.error.issues[0];
    return { error: `${issue?.path.join('.') || '(body)'}: ${issue?.message ?? 'invalid'}` };
  }
  const next = { ...current };
  for (const [key, value] of Object.entries(partial.data)) if (value !== undefined) (next as Record<string, unknown>)[key] = value;
  return next;
}
