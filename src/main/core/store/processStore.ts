// Process groups of running stages (rule 8), so a restart after a crash can find them.
import type Database from 'better-sqlite3';

export interface ProcessRecord {
  workflowId: string;
  pgid: number;
  stage: string;
  startedAt: string;
}

export class ProcessStore {
  private readonly addStmt: Database.Statement;
  private readonly removeStmt: Database.Statement;
  private readonly allStmt: Database.Statement<[], { workflow_id: string; pgid: number; stage: string; started_at: string }>;
  private readonly clearStmt: Database.Statement;

  constructor(db: Database.Database) {
    this.addStmt = db.prepare(
      'INSERT OR REPLACE INTO processes (workflow_id, pgid, stage, started_at) VALUES (?, ?, ?, ?)',
    );
    this.removeStmt = db.prepare('DELETE FROM processes WHERE workflow_id = ? AND pgid = ?');
    this.allStmt = db.prepare('SELECT * FROM processes');
    this.clearStmt = db.prepare('DELETE FROM processes');
  }

  add(r: ProcessRecord): void {
    this.addStmt.run(r.workflowId, r.pgid, r.stage, r.startedAt);
  }

  remove(workflowId: string, pgid: number): void {
    this.removeStmt.run(workflowId, pgid);
  }

  all(): ProcessRecord[] {
    return this.allStmt.all().map((r) => ({ workflowId: r.workflow_id, pgid: r.pgid, stage: r.stage, startedAt: r.started_at }));
  }

  clear(): void {
    this.clearStmt.run();
  }
}
