// Opens an orchestrator on a fresh temporary data directory, with a worktree folder per name.
// `storage` is the current orchestrator's: tests that look at the database itself go through it.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Workflow } from '../../../shared/domain';
import type { WorkflowStatus } from '../../../shared/status';
import { Orchestrator, type OpenOrchestratorOptions } from '../orchestrator';
import type { StageExecutor } from '../runner';
import { openStorage, type Storage } from '../store/storage';
import { InProcessExecutor } from './inProcessExecutor';
import { STANDARD_STAGES, StaticPipelines } from './staticPipelines';

export interface Harness<E extends StageExecutor = InProcessExecutor> {
  dir: string;
  dataDir: string;
  executor: E;
  orch: Orchestrator;
  storage: Storage;
  worktree(name: string): string;
  reopen(options?: Partial<OpenOrchestratorOptions>): Orchestrator;
  waitFor(workflowId: string, status: WorkflowStatus | WorkflowStatus[]): Promise<Workflow>;
  cleanup(): Promise<void>;
}

/** With no executor given, stages run in process (an InProcessExecutor the test can program). */
export function makeHarness(options?: Partial<Omit<OpenOrchestratorOptions, 'executor'>>): Harness;
export function makeHarness<E extends StageExecutor>(options: Partial<Omit<OpenOrchestratorOptions, 'executor'>> & { executor: E }): Harness<E>;
export function makeHarness(options: Partial<OpenOrchestratorOptions> = {}): Harness<StageExecutor> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-test-'));
  const dataDir = join(dir, 'data');
  const executor = options.executor ?? new InProcessExecutor();
  const pipelines = options.pipelines ?? new StaticPipelines({ default: STANDARD_STAGES });
  // Orchestrator.open's composition, keeping the storage for the test.
  const open = (extra: Partial<OpenOrchestratorOptions> = {}) => {
    const { dataDir: at, durability, checkpointWorker, ...rest } = { dataDir, executor, pipelines, ...options, ...extra };
    const storage = openStorage(at, { durability, checkpointWorker });
    return { storage, orch: new Orchestrator({ ...rest, storage }) };
  };
  const first = open();
  const h: Harness<StageExecutor> = {
    dir,
    dataDir,
    executor,
    orch: first.orch,
    storage: first.storage,
    worktree(name) {
      const p = join(dir, 'worktrees', name);
      mkdirSync(p, { recursive: true });
      return p;
    },
    reopen(extra) {
      ({ orch: h.orch, storage: h.storage } = open(extra));
      return h.orch;
    },
    waitFor(workflowId, status) {
      const wanted = Array.isArray(status) ? status : [status];
      return new Promise((resolve, reject) => {
        const check = (w: Workflow) => {
          if (w.id !== workflowId) return false;
          if (wanted.includes(w.status)) {
            off();
            resolve(w);
            return true;
          }
          return false;
        };
        const off = h.orch.bus.on('workflow', check);
        try {
          check(h.orch.get(workflowId));
        } catch (e) {
          off();
          reject(e);
        }
      });
    },
    async cleanup() {
      if (!h.orch.isClosed) await h.orch.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}
