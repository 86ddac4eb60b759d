// /proc helpers: which processes carry a workflow's marker, how much memory a process holds,
// and waiting (with a deadline) for a /proc condition such as "every agent is gone".
import { readdirSync, readFileSync } from 'node:fs';

export const MARKER = 'SWITCHYARD_WORKFLOW_ID';

export interface MarkedProcess {
  pid: number;
  pgid: number;
  workflowId: string;
  /** The command line, for messages. */
  cmd: string;
}

function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Is the process alive (and not a zombie)? */
export function alive(pid: number): boolean {
  const f = statFields(pid);
  return f !== null && f[0] !== 'Z' && f[0] !== 'X';
}

/** Every live process whose environment carries SWITCHYARD_WORKFLOW_ID (optionally: one of `ids`). */
export function markedProcesses(ids?: ReadonlySet<string>): MarkedProcess[] {
  const found: MarkedProcess[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${name}/environ`, 'utf8').split('\0');
      const entry = env.find((e) => e.startsWith(`${MARKER}=`));
      if (!entry) continue;
      const workflowId = entry.slice(MARKER.length + 1);
      if (ids && !ids.has(workflowId)) continue;
      const f = statFields(pid);
      if (!f || f[0] === 'Z' || f[0] === 'X') continue;
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim().slice(0, 160);
      found.push({ pid, pgid: Number(f[2]), workflowId, cmd });
    } catch {
      // gone while we looked
    }
  }
  return found;
}

/** VmRSS of a process in kB, or null when it is gone. */
export function rssKb(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Polls a /proc condition until it holds or the deadline passes (process death has no event we
 * can wait on from outside). Returns the elapsed milliseconds, or null on timeout.
 */
export async function pollUntil(cond: () => boolean, timeoutMs: number, intervalMs = 20): Promise<number | null> {
  const start = Date.now();
  for (;;) {
    if (cond()) return Date.now() - start;
    if (Date.now() - start > timeoutMs) return null;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Kills the given pids with SIGKILL (cleanup of what a test left behind); never throws. */
export function killPids(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
