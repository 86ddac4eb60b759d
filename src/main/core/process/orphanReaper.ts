// Kills agent processes that outlived a crashed Switchyard (rule 8).
import type { ProcessReaper } from '../runner';
import { markedProcesses } from './procScan';

function kill(target: number): void {
  try {
    process.kill(target, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Where /proc exists, only processes that carry the workflow's marker are killed, so a process
 * group id reused by an unrelated program is never touched; those that left the group (setsid)
 * are killed too, or they would keep editing the worktree unobserved. Elsewhere the recorded
 * group is killed as a whole.
 */
export const systemReaper: ProcessReaper = {
  reap(pgid, workflowId) {
    const pids = markedProcesses(workflowId);
    if (pids === null) kill(-pgid);
    else pids.forEach(kill);
  },
};
