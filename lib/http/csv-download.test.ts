import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '@/lib/errors';
import { csvDownload } from '@/lib/http/csv-download';

const encoder = new TextEncoder();

function streamOf(chunks: string[], failure?: Error): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (index < chunks.length) controller.enqueue(encoder.encode(chunks[index++]!));
      else if (failure) controller.error(failure);
      else controller.close();
    },
  });
}

describe('csvDownload', () => {
  afterEach(() => vi.restoreAllMocks());

  it('streams the file as a no-store attachment', async () => {
    const response = await csvDownload('test export', {}, async () => ({ filename: 'payments.csv', body: streamOf(['a,b\r\n', '1,2\r\n']) }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="payments.csv"');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toBe('a,b\r\n1,2\r\n');
  });

  it('answers an AppError before the first byte as its 4xx', async () => {
    const response = await csvDownload('test export', {}, async () => {
      throw new AppError('validation_failed', 'to: Give to as a date from 2000-01-01 on.');
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('validation_failed');
  });

  it('logs a failure after the first byte as its own and cuts the transfer short, not a short file that looks whole', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
    const response = await csvDownload('test export', { storeId: 'store-1' }, async () => ({ filename: 'payments.csv', body: streamOf(['a,b\r\n'], new Error('date/time field value out of range')) }));
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow('date/time field value out of range');
    expect(lines.map((line) => JSON.parse(line))).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'test export failed while streaming', storeId: 'store-1', errorMessage: 'date/time field value out of range' }),
    );
  });
});
