import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');

/**
 * The wallet runs lib/set in the checkout page: it must bundle for the
 * browser with no Node built-in — and without the Node crypto backend, which
 * only servers import.
 */
describe('lib/set in the browser', () => {
  it('bundles for the browser from its public entry, with no Node module in it', async () => {
    const result = await build({
      entryPoints: [path.join(root, 'lib/set/index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
      alias: { '@': root },
    });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.endsWith('lib/set/messages/purchase.ts'))).toBe(true);
    expect(inputs.filter((input) => input.startsWith('node:') || input.endsWith('lib/set/crypto/node.ts'))).toEqual([]);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/from\s*["']node:/);
  }, 60_000);

  it('refuses to bundle the Node backend for the browser (so it cannot slip in unnoticed)', async () => {
    await expect(
      build({ entryPoints: [path.join(root, 'lib/set/crypto/node.ts')], bundle: true, platform: 'browser', write: false, logLevel: 'silent', alias: { '@': root } }),
    ).rejects.toThrow(/node:crypto/);
  }, 60_000);
});
