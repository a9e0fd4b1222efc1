import path from 'node:path';

/** Everything the demo and the embedded database keep between runs lives here. */
export function dataDir(): string {
  // The folder is chosen at run time; the ignore comment keeps the bundler from tracing the whole project.
  return path.resolve(/* turbopackIgnore: true */ process.env.SERVERPOS_DATA_DIR ?? '.data');
}

export function embeddedDataDir(): string {
  return path.join(dataDir(), 'pglite');
}
