// Finds a workflow's processes in /proc (Linux): the one scanner behind stopping a stage
// (groupTermination.ts) and reaping what a crashed run left behind (orphanReaper.ts).
//
// A process belongs to a workflow if it is in the stage's process group, or if it carries the
// workflow's marker in its environment (every agent does, and its children inherit it), which
// catches those that left the group (setsid).
//
// The asynchronous scan reads a slice at a time: a scan reads two files per process of the
// machine (hundreds on a desktop), and terminate() scans every 20 ms through the grace period; in
// one piece that held the event loop for 5-15 ms per scan, most of the time during a cancel.
// (Promise-based reads cost more CPU on the main thread than the synchronous ones they replace:
// four steps per file.)
import { readdirSync, readFileSync } from 'node:fs';

/** The variable every agent process carries; it marks a process as belonging to a workflow. */
export const WORKFLOW_MARKER_ENV = 'SWITCHYARD_WORKFLOW_ID';

/** Processes read per turn of the event loop (each ~30-80 µs: /proc/N/stat, sometimes environ). */
const SCAN_SLICE = 32;

export interface ScanResult {
  /** Live (not zombie) processes in the group. */
  inGroup: number[];
  /** Live processes outside the group that carry the workflow's marker (e.g. after setsid). */
  escaped: number[];
}

/** Where /proc is a real procfs, by root (a /proc without self/stat is not one). */
const procAvailable = new Map<string, boolean>();

/** The process ids listed in `procRoot`, except this process's own; null where there is no /proc. */
function listPids(procRoot: string): string[] | null {
  if (!procAvailable.has(procRoot)) {
    try {
      readFileSync(`${procRoot}/self/stat`, 'utf8');
      procAvailable.set(procRoot, true);
    } catch {
      procAvailable.set(procRoot, false);
    }
  }
  if (!procAvailable.get(procRoot)) return null;
  try {
    return readdirSync(procRoot).filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
  } catch {
    return null;
  }
}

/**
 * Where process `name` stands: in the group `pgid` (null: no group asked about), escaped with
 * the marker, or neither. Zombies are neither: they have exited, only their entry is left.
 */
function classify(procRoot: string, name: string, pgid: number | null, marker: string): 'inGroup' | 'escaped' | null {
  try {
    const stat = readFileSync(`${procRoot}/${name}/stat`, 'utf8');
    // After the command name (which may hold spaces and parentheses): state ppid pgrp ...
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = fields[0];
    if (state === 'Z' || state === 'X' || state === 'x') return null;
    if (pgid !== null && Number(fields[2]) === pgid) return 'inGroup';
    const env = readFileSync(`${procRoot}/${name}/environ`, 'utf8');
    return env.split('\0').includes(marker) ? 'escaped' : null;
  } catch {
    return null; // gone while we looked, or not ours to read
  }
}

const markerOf = (workflowId: string) => `${WORKFLOW_MARKER_ENV}=${workflowId}`;

/** The stage's live processes: its group's and the workflow's escaped ones; null where there is no /proc. */
export async function scanProcesses(pgid: number, workflowId: string, procRoot = '/proc'): Promise<ScanResult | null> {
  const names = listPids(procRoot);
  if (!names) return null;
  const marker = markerOf(workflowId);
  const result: ScanResult = { inGroup: [], escaped: [] };
  for (let i = 0; i < names.length; i++) {
    // A slice of processes per turn of the event loop: small synchronous reads are the cheapest
    // way to read /proc, and the slices keep any one turn short however many processes there are.
    if (i > 0 && i % SCAN_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    const where = classify(procRoot, names[i]!, pgid, marker);
    if (where) result[where].push(Number(names[i]));
  }
  return result;
}

/**
 * The live processes carrying the workflow's marker, in one synchronous pass (at startup, before
 * anything else runs); null where there is no /proc. The group is not asked about: after a crash
 * its id may belong to an unrelated program by now.
 */
export function markedProcesses(workflowId: string, procRoot = '/proc'): number[] | null {
  const names = listPids(procRoot);
  if (!names) return null;
  const marker = markerOf(workflowId);
  return names.filter((name) => classify(procRoot, name, null, marker) === 'escaped').map(Number);
}
