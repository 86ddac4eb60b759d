// Tests only: a core over real git worktrees and real processes, and waits on rule 13's events.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createCore, type Core } from '../createCore';
import { commitFile, sandbox, type Sandbox } from './gitFixture';
import { InProcessExecutor } from './inProcessExecutor';
import { STANDARD_STAGES, StaticPipelines } from './staticPipelines';
import type { WorkflowEvent } from '../../../shared/events';

export const PORT_SERVER = resolve(import.meta.dirname, '../../../../test/fixtures/portServer.mjs');

export interface SetupWorld {
  box: Sandbox;
  dataDir: string;
  core: Core;
  executor: InProcessExecutor;
  open(): Core;
  cleanup(): Promise<void>;
}

export function setupWorld(portBase: number): SetupWorld {
  const box = sandbox();
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-setup-'));
  const executor = new InProcessExecutor();
  const world: SetupWorld = {
    box,
    dataDir,
    executor,
    core: null as unknown as Core,
    open() {
      world.core = createCore({ dataDir, executor, pipelines: new StaticPipelines({ default: STANDARD_STAGES }) });
      world.core.orchestrator.updateSettings({ portBase });
      return world.core;
    },
    async cleanup() {
      await world.core.close();
      box.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  world.open();
  return world;
}

/** Commits `.switchyard/setup.json` with these contents to the repository. */
export async function commitSetup(repo: string, setup: unknown): Promise<void> {
  await commitFile(repo, '.switchyard/setup.json', JSON.stringify(setup, null, 2), 'setup');
}

/** Resolves with the first event of `runId` that `match` accepts (those already stored included). */
export function waitForEvent(core: Core, runId: string, match: (e: WorkflowEvent) => boolean): Promise<WorkflowEvent> {
  return new Promise((resolveEvent) => {
    const off = core.orchestrator.bus.on('events', ({ workflowId, events }) => {
      if (workflowId !== runId) return;
      const hit = events.find(match);
      if (hit) {
        off();
        resolveEvent(hit);
      }
    });
    const stored = core.worktreeRuns.listEvents({ workflowId: runId, limit: 5000 }).find(match);
    if (stored) {
      off();
      resolveEvent(stored);
    }
  });
}

export const setupEnded = (core: Core, setupId: string) => waitForEvent(core, setupId, (e) => e.type === 'setup_completed' || e.type === 'setup_failed');

export function writeFile(path: string, content: string): void {
  mkdirSync(resolve(path, '..'), { recursive: true });
  writeFileSync(path, content);
}
