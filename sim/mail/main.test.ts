import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// Started the way scripts/stack.ts starts it: node + the tsx CLI + the entry file.
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
const entry = path.join(import.meta.dirname, 'main.ts');
const started: ChildProcess[] = [];

function startMain(env: Record<string, string>) {
  const child = spawn(process.execPath, [tsxCli, entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const output = () => ({ stdout, stderr });
  return { child, exited, output };
}

afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe('sim/mail/main.ts', () => {
  it('exits 1 naming the variable when a port is not a port', async () => {
    const { exited, output } = startMain({ MAIL_SMTP_PORT: '1025', MAIL_HTTP_PORT: '80a' });
    expect(await exited).toBe(1);
    expect(output().stderr).toContain('MAIL_HTTP_PORT must be a port number from 0 to 65535, got "80a"');
  });

  it('prints both URLs, serves the API, and exits 0 on SIGTERM', async () => {
    const { child, exited, output } = startMain({ MAIL_SMTP_PORT: '0', MAIL_HTTP_PORT: '0' });
    const deadline = Date.now() + 15_000;
    let match: RegExpExecArray | null = null;
    while (!match && Date.now() < deadline) {
      match = /^mail: SMTP on smtp:\/\/127\.0\.0\.1:(\d+), inbox at (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(output().stdout);
      if (!match) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(match, output().stderr).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThan(0);
    const response = await fetch(`${match![2]}api/messages`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ messages: [] });

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);
});
