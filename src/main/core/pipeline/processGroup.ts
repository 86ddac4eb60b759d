// Ending a stage's processes: its whole process group, and any process that left the group but
// still carries the workflow's marker (SWITCHYARD_WORKFLOW_ID). SIGTERM first, SIGKILL after the
// grace period, and only return once nothing is left (Linux: checked in /proc).
//
// /proc is read a slice at a time: a scan reads two files per process of the machine (hundreds on
// a desktop), and terminate() scans every 20 ms through the grace period; in one piece that held
// the event loop for 5-15 ms per scan, most of the time during a cancel. (Promise-based reads
// cost more CPU on the main thread than the synchronous ones they replace: four steps per file.)
import { readdirSync, readFileSync } from 'node:fs';

/** Processes read per turn of the event loop (each ~30-80 µs: /proc/N/stat, sometimes environ). */
const SCAN_SLICE = 32;
import { WORKFLOW_MARKER_ENV } from '../reaper';

const POLL_MS = 20;
/** After SIGKILL, how long to wait for the kernel to finish the processes off before giving up. */
const KILL_WAIT_MS = 3_000;

export interface ScanResult {
  /** Live (not zombie) processes in the group. */
  inGroup: number[];
  /** Live processes outside the group that carry the workflow's marker (e.g. after setsid). */
  escaped: number[];
}

let procAvailable: boolean | null = null;
function hasProc(procRoot: string): boolean {
  if (procAvailable === null) {
    try {
      readFileSync(`${procRoot}/self/stat`, 'utf8');
      procAvailable = true;
    } catch {
      procAvailable = false;
    }
  }
  return procAvailable;
}

/** The workflow's live processes; null where there is no /proc. */
export async function scanProcesses(pgid: number, workflowId: string, procRoot = '/proc'): Promise<ScanResult | null> {
  if (!hasProc(procRoot)) return null;
  const marker = `${WORKFLOW_MARKER_ENV}=${workflowId}`;
  let names: string[];
  try {
    names = readdirSync(procRoot);
  } catch {
    return null;
  }
  const result: ScanResult = { inGroup: [], escaped: [] };
  for (let i = 0; i < names.length; i++) {
    // A slice of processes per turn of the event loop: small synchronous reads are the cheapest
    // way to read /proc, and the slices keep any one turn short however many processes there are.
    if (i > 0 && i % SCAN_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    const name = names[i]!;
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    try {
      const stat = readFileSync(`${procRoot}/${name}/stat`, 'utf8');
      // After the command name (which may hold spaces and parentheses): state ppid pgrp ...
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const state = fields[0];
      if (state === 'Z' || state === 'X' || state === 'x') continue;
      if (Number(fields[2]) === pgid) {
        result.inGroup.push(pid);
        continue;
      }
      const env = readFileSync(`${procRoot}/${name}/environ`, 'utf8');
      if (env.split('\0').includes(marker)) result.escaped.push(pid);
    } catch {
      // Gone while we looked, or not ours to read.
    }
  }
  return result;
}

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
