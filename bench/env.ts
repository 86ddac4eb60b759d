// Temporary data directories and orchestrators for benchmarks.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { Orchestrator } from '../src/main/core/orchestrator';
import type { Durability } from '../src/main/core/store/database';
import { openStorage, type Storage } from '../src/main/core/store/storage';
import { InProcessExecutor, hang } from '../src/main/core/testing/inProcessExecutor';
import { STANDARD_STAGES, StaticPipelines } from '../src/main/core/testing/staticPipelines';

/** An orchestrator and the storage it runs on (which its close() closes). */
export interface Opened {
  orch: Orchestrator;
  storage: Storage;
}

export interface BenchEnv {
  dir: string;
  dataDir: string;
  worktree(name: string): string;
  open(durability?: Durability): Opened;
  cleanup(): void;
}

export function benchEnv(): BenchEnv {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
  const dataDir = join(dir, 'data');
  const executor = new InProcessExecutor({ implement: hang });
  const pipelines = new StaticPipelines({ default: STANDARD_STAGES });
  return {
    dir,
    dataDir,
    worktree(name) {
      const p = join(dir, 'wt', name);
      mkdirSync(p, { recursive: true });
      return p;
    },
    open: (durability) => {
      const storage = openStorage(dataDir, { durability });
      return { storage, orch: new Orchestrator({ storage, executor, pipelines }) };
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Inserts workflow rows directly (fixtures for lookups and cold starts). */
export function insertWorkflows(
  db: Database.Database,
  rows: { id: string; worktreePath: string; status: string; completedAt?: string; stageIndex?: number; runState?: string }[],
): void {
  const stmt = db.prepare(
    `INSERT INTO workflows (id, issue_id, title, description, worktree_path, worktree_name, pipeline_json, status, created_at, completed_at, stage_index, run_state_json, current_stage)
     VALUES (@id, @id, '', '', @worktreePath, 'wt', @pipeline, @status, '2026-11-01T00:00:00.000Z', @completedAt, @stageIndex, @runState, @stage)`,
  );
  const pipeline = JSON.stringify({ name: 'default', stages: STANDARD_STAGES });
  db.transaction(() => {
    for (const r of rows) {
      stmt.run({
        id: r.id,
        worktreePath: r.worktreePath,
        status: r.status,
        pipeline,
        completedAt: r.completedAt ?? null,
        stageIndex: r.stageIndex ?? 0,
        runState: r.runState ?? '{}',
        stage: r.status === 'blocked' ? 'approve' : null,
      });
    }
  })();
}
