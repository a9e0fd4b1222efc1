/**
 * Child processes of the demo and test stacks: started with their output
 * forwarded line by line under their name, awaited until they answer over
 * HTTP, and stopped with SIGTERM (SIGKILL after 10 s).
 */
import { spawn, type ChildProcess } from 'node:child_process';

export async function waitForHttp(url: string, timeoutMs: number, child: ChildProcess, name: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} while starting`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${name} did not answer at ${url} within ${timeoutMs / 1000} s`);
}

export type Output = (name: string, line: string, stream: 'stdout' | 'stderr') => void;

export const printPrefixed: Output = (name, line, stream) => (stream === 'stderr' ? process.stderr : process.stdout).write(`[${name}] ${line}\n`);

export function startChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, output: Output): ChildProcess {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const forward = (stream: NodeJS.ReadableStream | null, kind: 'stdout' | 'stderr') => {
    let buffered = '';
    stream?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) output(name, line, kind);
    });
  };
  forward(child.stdout, 'stdout');
  forward(child.stderr, 'stderr');
  return child;
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
