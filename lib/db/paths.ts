import path from 'node:path';

/** Everything the demo and the embedded database keep between runs lives here. */
export function dataDir(): string {
  return path.resolve(process.env.SERVERPOS_DATA_DIR ?? '.data');
}

export function embeddedDataDir(): string {
  return path.join(dataDir(), 'pglite');
}
