// Kills agent processes that outlived a crashed Switchyard (rule 8).
import { readdirSync, readFileSync } from 'node:fs';
import type { ProcessReaper } from './runner';

/** The variable every agent process carries; it marks a process as belonging to a workflow. */
export const WORKFLOW_MARKER_ENV = 'SWITCHYARD_WORKFLOW_ID';

/**
 * Pids of live processes whose environment names `workflowId` (Linux /proc): the recorded group's
 * and any that left it (setsid), which would otherwise keep editing the worktree unobserved.
 */
export function markedProcesses(_pgid: number, workflowId: string, procRoot = '/proc'): number[] {
  const marker = `${WORKFLOW_MARKER_ENV}=${workflowId}`;
  const found: number[] = [];
  for (const name of readdirSync(procRoot)) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const env = readFileSync(`${procRoot}/${name}/environ`, 'utf8').split('\0');
      if (env.includes(marker)) found.push(Number(name));
    } catch {
      // The process ended while we looked, or is not ours to read.
    }
  }
  return found;
}

/**
 * Where /proc exists, only processes that carry the workflow's marker are killed, so a process
 * group id reused by an unrelated program is never touched. Elsewhere the recorded group is
 * killed as a whole.
 */
export const systemReaper: ProcessReaper = {
  reap(pgid, workflowId) {
    let pids: number[] | null;
    try {
      pids = markedProcesses(pgid, workflowId);
    } catch {
      pids = null; // no /proc on this system
    }
    const kill = (target: number) => {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    if (pids === null) kill(-pgid);
    else pids.forEach(kill);
  },
};
