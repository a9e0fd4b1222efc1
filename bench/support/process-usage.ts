/**
 * CPU time and memory of a process and its descendants, read from Linux's
 * /proc: the kernel's own accounting, so nothing is sampled for CPU, and the
 * resident-set high-water mark (VmHWM) is exact. Linux only.
 */
import { readFileSync, readdirSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

function read(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** The pid and every descendant still running. */
export function processTree(pid: number): number[] {
  const all = new Set([pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = read(`/proc/${entry}/stat`);
      const parent = stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : NaN;
      if (all.has(parent) && !all.has(Number(entry))) {
        all.add(Number(entry));
        grew = true;
      }
    }
  }
  return [...all];
}

/** Pids whose command line contains every one of `parts`. */
export function findProcesses(parts: string[]): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      const command = read(`/proc/${entry}/cmdline`)?.split('\0').join(' ') ?? '';
      return parts.every((part) => command.includes(part));
    })
    .map(Number);
}

export interface Usage {
  /** User + system CPU seconds since the processes started. */
  cpuSeconds: number;
  /** Resident memory now, summed over the processes, in MiB. */
  rssMiB: number;
  /** Each process's resident high-water mark, summed, in MiB. */
  peakRssMiB: number;
}

export function usageOf(pids: number[]): Usage {
  let cpuTicks = 0;
  let rssKiB = 0;
  let peakKiB = 0;
  for (const pid of pids) {
    const stat = read(`/proc/${pid}/stat`);
    if (stat) {
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpuTicks += Number(fields[11]) + Number(fields[12]);
    }
    const status = read(`/proc/${pid}/status`) ?? '';
    rssKiB += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    peakKiB += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }
  return { cpuSeconds: cpuTicks / TICKS_PER_SECOND, rssMiB: rssKiB / 1024, peakRssMiB: peakKiB / 1024 };
}
