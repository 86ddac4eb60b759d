// Everything a scenario creates (child processes, temp dirs, agent processes, mounts) is
// registered here and undone even when the scenario throws or the runner is interrupted.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killPids, markedProcesses } from './proc';

type Undo = () => void | Promise<void>;
const undos: { name: string; fn: Undo }[] = [];
/** Workflow ids this run created: their stray agents are killed at cleanup. */
export const ownWorkflowIds = new Set<string>();

export function onCleanup(name: string, fn: Undo): () => void {
  const entry = { name, fn };
  undos.push(entry);
  return () => {
    const i = undos.indexOf(entry);
    if (i >= 0) undos.splice(i, 1);
  };
}

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `switchyard-rel-${prefix}-`));
  onCleanup(`rm ${dir}`, () => {
    // An immutable file (disk scenario) would make rm fail: clear the flag first.
    spawnSync('chattr', ['-R', '-i', dir], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Kills agent processes of workflows this run created that are still alive. */
export function killStrayAgents(): number {
  const strays = markedProcesses(ownWorkflowIds);
  killPids(strays.map((p) => p.pid));
  return strays.length;
}

/** Runs every registered undo, newest first. */
export async function cleanupAll(): Promise<void> {
  while (undos.length) {
    const { name, fn } = undos.pop()!;
    try {
      await fn();
    } catch (e) {
      console.error(`  cleanup "${name}" failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  killStrayAgents();
}

/** Synchronous last resort (process exit): kill children and agents, remove nothing asynchronously. */
const syncKills = new Set<number>();
export function trackPid(pid: number): () => void {
  syncKills.add(pid);
  return () => syncKills.delete(pid);
}
process.on('exit', () => {
  killPids([...syncKills]);
  killStrayAgents();
});
