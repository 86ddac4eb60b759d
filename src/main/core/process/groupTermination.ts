// Ending a stage's processes: its whole process group, and any process that left the group but
// still carries the workflow's marker (SWITCHYARD_WORKFLOW_ID). SIGTERM first, SIGKILL after the
// grace period, and only return once nothing is left (Linux: checked in /proc by procScan.ts, a
// slice at a time so that the scans of a grace period never hold the event loop long).
import { scanProcesses } from './procScan';

const POLL_MS = 20;
/** After SIGKILL, how long to wait for the kernel to finish the processes off before giving up. */
const KILL_WAIT_MS = 3_000;

function signal(target: number, sig: NodeJS.Signals): void {
  try {
    process.kill(target, sig);
  } catch {
    // already gone (ESRCH) or not ours (EPERM)
  }
}

/** Is anything of the workflow's stage still alive? Where /proc is missing: does the group exist? */
export async function anyAlive(pgid: number, workflowId: string): Promise<boolean> {
  const scan = await scanProcesses(pgid, workflowId);
  if (scan) return scan.inGroup.length > 0 || scan.escaped.length > 0;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends `sig` to the group (only while it exists, so a reused id is never hit) and to escaped marked processes. */
async function signalAll(pgid: number, workflowId: string, sig: NodeJS.Signals, already?: Set<number>): Promise<boolean> {
  const scan = await scanProcesses(pgid, workflowId);
  if (!scan) {
    try {
      process.kill(-pgid, sig);
      return true;
    } catch {
      return false;
    }
  }
  if (!already) {
    if (scan.inGroup.length > 0) signal(-pgid, sig);
    for (const pid of scan.escaped) signal(pid, sig);
  } else {
    // Each process gets this signal once: a second SIGTERM can cut a graceful shutdown short.
    const fresh = [...scan.inGroup, ...scan.escaped].filter((pid) => !already.has(pid));
    if (already.size === 0 && scan.inGroup.length > 0) signal(-pgid, sig);
    else for (const pid of fresh) if (scan.inGroup.includes(pid)) signal(pid, sig);
    for (const pid of scan.escaped) if (!already.has(pid)) signal(pid, sig);
    for (const pid of fresh) already.add(pid);
  }
  return scan.inGroup.length > 0 || scan.escaped.length > 0;
}

const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface TerminateResult {
  /** SIGKILL was needed. */
  killed: boolean;
  /** Something was still alive when we gave up (should not happen: a process stuck in the kernel). */
  survivors: boolean;
}

/**
 * SIGTERM to the stage's processes, SIGKILL to whatever is left after `graceMs`; resolves once
 * none is alive. Safe to call when everything is already gone.
 */
export async function terminate(pgid: number, workflowId: string, graceMs: number): Promise<TerminateResult> {
  const termed = new Set<number>();
  if (!(await signalAll(pgid, workflowId, 'SIGTERM', termed))) return { killed: false, survivors: false };
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await wait(Math.min(POLL_MS, Math.max(1, deadline - Date.now())));
    // Processes that appeared since (forked by a SIGTERM handler, say) get their SIGTERM too.
    if (!(await signalAll(pgid, workflowId, 'SIGTERM', termed))) return { killed: false, survivors: false };
  }
  const killDeadline = Date.now() + KILL_WAIT_MS;
  while (await signalAll(pgid, workflowId, 'SIGKILL')) {
    if (Date.now() > killDeadline) return { killed: true, survivors: true };
    await wait(POLL_MS);
  }
  return { killed: true, survivors: false };
}
