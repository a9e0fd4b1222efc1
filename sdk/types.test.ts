import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type {
  createOrderResponseSchema,
  createOrderSchema,
  getOrderResponseSchema,
  getPaymentResponseSchema,
  listPaymentsResponseSchema,
  settlementResponseSchema,
} from '@/lib/payments/schemas';
import type { PosProfile as ServerPosProfile } from '@/lib/pos/get-pos-profile';
import type { webhookEventBodySchema } from '@/lib/webhooks/schemas';
import type { CreateOrderInput, Order, OrderWithPayments, Payment, PaymentPage, PosProfile, SettlementResult, WebhookEvent } from './index';

describe('the SDK’s types', () => {
  it('are exactly the POS API’s schemas (checked by the type checker: a drift fails `tsc`)', () => {
    expectTypeOf<CreateOrderInput>().toEqualTypeOf<z.input<typeof createOrderSchema>>();
    expectTypeOf<{ order: Order }>().toEqualTypeOf<z.output<typeof createOrderResponseSchema>>();
    expectTypeOf<{ order: OrderWithPayments }>().toEqualTypeOf<z.output<typeof getOrderResponseSchema>>();
    expectTypeOf<{ payment: Payment }>().toEqualTypeOf<z.output<typeof getPaymentResponseSchema>>();
    expectTypeOf<PaymentPage>().toEqualTypeOf<z.output<typeof listPaymentsResponseSchema>>();
    expectTypeOf<SettlementResult>().toEqualTypeOf<z.output<typeof settlementResponseSchema>>();
    expectTypeOf<PosProfile>().toEqualTypeOf<ServerPosProfile>();
    expectTypeOf<WebhookEvent>().toEqualTypeOf<z.output<typeof webhookEventBodySchema>>();
  });

  it('come with an SDK that imports nothing but its own files: a shop installs the SDK alone', () => {
    const directory = import.meta.dirname;
    const sources = readdirSync(directory).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
    expect(sources).toEqual(expect.arrayContaining(['client.ts', 'errors.ts', 'index.ts', 'types.ts', 'webhooks.ts']));
    const imports: string[] = [];
    for (const file of sources) {
      const text = readFileSync(path.join(directory, file), 'utf8');
      for (const match of text.matchAll(/\bfrom\s+'([^']+)'|\bimport\s*\(\s*'([^']+)'|\brequire\s*\(\s*'([^']+)'/g)) imports.push(`${file} → ${match[1] ?? match[2] ?? match[3]}`);
    }
    // The pattern does find imports (so this test can fail), and each names one of the SDK's own files.
    expect(imports).toContain('index.ts → ./client');
    for (const entry of imports) expect(entry).toMatch(/ → \.\/[a-z-]+$/);
  });
});
