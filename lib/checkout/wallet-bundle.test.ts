import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');

/**
 * The checkout page's wallet runs in the customer's browser: the component and
 * everything it imports must bundle with no Node built-in, and without the
 * server's crypto backend or any server module (database, CA client).
 */
describe('the checkout wallet in the browser', () => {
  it('bundles for the browser with no Node module and no server code', async () => {
    const result = await build({
      entryPoints: [path.join(root, 'components/checkout/wallet.tsx')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      jsx: 'automatic',
      external: ['react', 'react/jsx-runtime', 'react-dom'],
      write: false,
      metafile: true,
      logLevel: 'silent',
      alias: { '@': root },
    });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.endsWith('lib/checkout/run-wallet.ts'))).toBe(true);
    expect(inputs.some((input) => input.endsWith('lib/set/messages/purchase.ts'))).toBe(true);
    expect(
      inputs.filter((input) => input.startsWith('node:') || /lib\/(set\/crypto\/node|crypto\/use-native-crypto|db\/|certificates\/|env)/.test(input)),
    ).toEqual([]);
    expect(result.outputFiles[0]!.text).not.toMatch(/from\s*["']node:/);
  }, 60_000);
});
