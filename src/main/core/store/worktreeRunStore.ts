// Rule 13's rows: worktrees' port ranges, setup runs and run-command sessions, and their events
// (the same shape as a workflow's, numbered by the same EventLog).
import type Database from 'better-sqlite3';
import type { WorktreeRun } from '../../../shared/domain';
import { invalidState } from '../../../shared/errors';
import { EventTable } from './eventStore';

/** Ended runs kept per worktree and kind (with their logs): older ones go when a new one starts. */
export const RUNS_KEPT = 3;

/** Each worktree's range: SWITCHYARD_PORT_BASE .. +9. */
export const PORTS_PER_WORKTREE = 10;
const MAX_PORT = 65_535;

interface RunRow {
  id: string;
  worktree_path: string;
  kind: WorktreeRun['kind'];
  status: WorktreeRun['status'];
  failed_step: string | null;
  failure_reason: string | null;
  pgid: number | null;
  started_at: string;
  ended_at: string | null;
}


const toRun = (r: RunRow): WorktreeRun => ({
  id: r.id,
  worktreePath: r.worktree_path,
  kind: r.kind,
  status: r.status,
  failedStep: r.failed_step,
  failureReason: r.failure_reason,
  startedAt: r.started_at,
  endedAt: r.ended_at,
});

export class WorktreeRunStore {
  private readonly s;
  /** Each run's own log (setup output, a dev server's): the same shape as the workflows' events. */
  readonly events: EventTable;

  constructor(private readonly db: Database.Database) {
    this.events = new EventTable(db, 'worktree_run_events');
    this.s = {
      port: db.prepare<[string], { port_base: number }>('SELECT port_base FROM worktree_ports WHERE worktree_path = ?'),
      ports: db.prepare<[number], { port_base: number }>('SELECT port_base FROM worktree_ports WHERE port_base >= ? ORDER BY port_base'),
      addPort: db.prepare('INSERT INTO worktree_ports (worktree_path, port_base, assigned_at) VALUES (?, ?, ?)'),
      setCreated: db.prepare('UPDATE worktree_ports SET created_head = ? WHERE worktree_path = ?'),
      created: db.prepare<[string], { created_head: string | null }>('SELECT created_head FROM worktree_ports WHERE worktree_path = ?'),
      freePort: db.prepare('DELETE FROM worktree_ports WHERE worktree_path = ?'),
      insertRun: db.prepare(
        "INSERT INTO worktree_runs (id, worktree_path, kind, status, started_at) VALUES (?, ?, ?, 'running', ?)",
      ),
      prune: db.prepare(`
        DELETE FROM worktree_runs WHERE worktree_path = ? AND kind = ? AND status != 'running' AND id NOT IN (
          SELECT id FROM worktree_runs WHERE worktree_path = ? AND kind = ? ORDER BY started_at DESC, rowid DESC LIMIT ${RUNS_KEPT})`),
      getRun: db.prepare<[string], RunRow>('SELECT * FROM worktree_runs WHERE id = ?'),
      latest: db.prepare<[string, string], RunRow>(
        'SELECT * FROM worktree_runs WHERE worktree_path = ? AND kind = ? ORDER BY started_at DESC, rowid DESC LIMIT 1',
      ),
      finish: db.prepare(
        "UPDATE worktree_runs SET status = ?, failed_step = ?, failure_reason = ?, ended_at = ?, pgid = NULL WHERE id = ? AND status = 'running'",
      ),
      setPgid: db.prepare('UPDATE worktree_runs SET pgid = ? WHERE id = ?'),
      withGroups: db.prepare<[], RunRow>('SELECT * FROM worktree_runs WHERE pgid IS NOT NULL'),
      running: db.prepare<[], RunRow>("SELECT * FROM worktree_runs WHERE status = 'running'"),
      forget: db.prepare('DELETE FROM worktree_runs WHERE worktree_path = ?'),
    };
  }

  // Ports -------------------------------------------------------------------------------------

  portBase(worktreePath: string): number | null {
    return this.s.port.get(worktreePath)?.port_base ?? null;
  }

  /**
   * The worktree's range, allocated on first ask: the lowest free base at or above `first`, in
   * steps of 10. Synchronous (one SQLite transaction), so two allocations cannot pick one range.
   */
  allocatePorts(worktreePath: string, first: number, at: string): number {
    return this.db.transaction(() => {
      const existing = this.portBase(worktreePath);
      if (existing !== null) return existing;
      const base = this.freeBase(first);
      this.s.addPort.run(worktreePath, base, at);
      return base;
    })();
  }

  /** The lowest base at or above `first` whose range overlaps no recorded range (nothing is recorded). */
  freeBase(first: number): number {
    let base = first;
    for (const { port_base: taken } of this.s.ports.all(first - PORTS_PER_WORKTREE + 1)) {
      // Ranges allocated under another first base may be misaligned: skip past any overlap.
      if (taken + PORTS_PER_WORKTREE <= base) continue;
      if (taken >= base + PORTS_PER_WORKTREE) break;
      base = taken + PORTS_PER_WORKTREE;
    }
    if (base + PORTS_PER_WORKTREE - 1 > MAX_PORT) {
      throw invalidState(`There is no free range of ${PORTS_PER_WORKTREE} ports at or above ${first}; lower the first port base in the settings`, { portBase: first });
    }
    return base;
  }

  /**
   * Records `base` as the worktree's range if it is still free (one transaction); returns the
   * worktree's range (an existing one wins), or null when another worktree took `base` meanwhile.
   */
  claimPorts(worktreePath: string, base: number, at: string): number | null {
    return this.db.transaction(() => {
      const existing = this.portBase(worktreePath);
      if (existing !== null) return existing;
      if (this.freeBase(base) !== base) return null;
      this.s.addPort.run(worktreePath, base, at);
      return base;
    })();
  }

  /** The commit a worktree Switchyard created started at (null: unknown). */
  createdHead(worktreePath: string): string | null {
    return this.s.created.get(worktreePath)?.created_head ?? null;
  }

  setCreatedHead(worktreePath: string, head: string): void {
    this.s.setCreated.run(head, worktreePath);
  }

  /** A removed worktree frees its range, and its runs' rows and logs go with it. */
  forgetWorktree(worktreePath: string): void {
    this.db.transaction(() => {
      this.s.freePort.run(worktreePath);
      this.s.forget.run(worktreePath);
    })();
  }

  // Runs --------------------------------------------------------------------------------------

  /** Records a new run; the oldest ended ones of the same worktree and kind go (a dev server restarted all day would fill the disk). */
  insertRun(id: string, worktreePath: string, kind: WorktreeRun['kind'], at: string): WorktreeRun {
    this.db.transaction(() => {
      this.s.insertRun.run(id, worktreePath, kind, at);
      this.s.prune.run(worktreePath, kind, worktreePath, kind);
    })();
    return this.run(id)!;
  }

  run(id: string): WorktreeRun | null {
    const r = this.s.getRun.get(id);
    return r ? toRun(r) : null;
  }

  latest(worktreePath: string, kind: WorktreeRun['kind']): WorktreeRun | null {
    const r = this.s.latest.get(worktreePath, kind);
    return r ? toRun(r) : null;
  }

  /** Ends a running run (compare-and-set: an ended run never changes again); null if it was not running. */
  finish(id: string, status: Exclude<WorktreeRun['status'], 'running'>, at: string, failure?: { step: string | null; reason: string }): WorktreeRun | null {
    const changed = this.s.finish.run(status, failure?.step ?? null, failure?.reason ?? null, at, id).changes;
    return changed ? this.run(id) : null;
  }

  setPgid(id: string, pgid: number | null): void {
    this.s.setPgid.run(pgid, id);
  }

  /** Runs whose process group was alive when last seen (rule 8: reaped at start-up). */
  withProcessGroups(): { run: WorktreeRun; pgid: number }[] {
    return this.s.withGroups.all().map((r) => ({ run: toRun(r), pgid: r.pgid! }));
  }

  runningRuns(): WorktreeRun[] {
    return this.s.running.all().map(toRun);
  }
}
