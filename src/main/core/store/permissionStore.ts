// Tool permission requests and remembered rules (rule 11, migration 3): every statement prepared
// once. A request's status moves once, from 'pending', by the compare-and-set in decide().
import type Database from 'better-sqlite3';
import { durably } from './durableCommit';

export type PermissionStatus = 'pending' | 'allowed' | 'denied';

export interface PermissionRow {
  id: string;
  workflowId: string;
  stage: string;
  tool: string;
  toolUseId: string | null;
  summary: string;
  input: unknown;
  status: PermissionStatus;
  reason: string | null;
  createdAt: string;
}

interface Raw {
  id: string;
  workflow_id: string;
  stage: string;
  tool: string;
  tool_use_id: string | null;
  summary: string;
  input_json: string;
  status: PermissionStatus;
  reason: string | null;
  created_at: string;
}

const fromRaw = (r: Raw): PermissionRow => ({
  id: r.id,
  workflowId: r.workflow_id,
  stage: r.stage,
  tool: r.tool,
  toolUseId: r.tool_use_id,
  summary: r.summary,
  input: JSON.parse(r.input_json) as unknown,
  status: r.status,
  reason: r.reason,
  createdAt: r.created_at,
});

export class PermissionStore {
  private readonly insertStmt: Database.Statement;
  private readonly getStmt: Database.Statement<[string], Raw>;
  private readonly decideStmt: Database.Statement;
  private readonly pendingOfStmt: Database.Statement<[string], Raw>;
  private readonly allPendingStmt: Database.Statement<[], Raw>;
  private readonly rulesStmt: Database.Statement<[string], { rule: string; created_at: string }>;
  private readonly addRuleStmt: Database.Statement;
  private readonly forgetStmt: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.insertStmt = db.prepare(`
      INSERT INTO permission_requests (id, workflow_id, stage, tool, tool_use_id, summary, input_json, status, created_at)
      VALUES (@id, @workflowId, @stage, @tool, @toolUseId, @summary, @inputJson, 'pending', @createdAt)`);
    this.getStmt = db.prepare('SELECT * FROM permission_requests WHERE id = ?');
    this.decideStmt = db.prepare(`
      UPDATE permission_requests SET status = @status, reason = @reason, decided_at = @decidedAt
      WHERE id = @id AND workflow_id = @workflowId AND status = 'pending'`);
    this.pendingOfStmt = db.prepare(`SELECT * FROM permission_requests WHERE workflow_id = ? AND status = 'pending' ORDER BY created_at, rowid`);
    this.allPendingStmt = db.prepare(`SELECT * FROM permission_requests WHERE status = 'pending' ORDER BY created_at, rowid`);
    this.rulesStmt = db.prepare('SELECT rule, created_at FROM permission_rules WHERE repo_path = ? ORDER BY created_at, rule');
    this.addRuleStmt = db.prepare('INSERT OR IGNORE INTO permission_rules (repo_path, rule, created_at) VALUES (?, ?, ?)');
    this.forgetStmt = db.prepare('DELETE FROM permission_rules WHERE repo_path = ? AND rule = ?');
  }

  insert(r: Omit<PermissionRow, 'status' | 'reason'>): void {
    this.insertStmt.run({ ...r, inputJson: JSON.stringify(r.input ?? null) });
  }

  get(id: string): PermissionRow | null {
    const r = this.getStmt.get(id);
    return r ? fromRaw(r) : null;
  }

  /** The compare-and-set: true if this call moved the request out of 'pending'. */
  decide(id: string, workflowId: string, status: 'allowed' | 'denied', reason: string | null, decidedAt: string): boolean {
    return this.decideStmt.run({ id, workflowId, status, reason, decidedAt }).changes === 1;
  }

  pendingOf(workflowId: string): PermissionRow[] {
    return this.pendingOfStmt.all(workflowId).map(fromRaw);
  }

  allPending(): PermissionRow[] {
    return this.allPendingStmt.all().map(fromRaw);
  }

  rules(repoPath: string): { rule: string; createdAt: string }[] {
    return this.rulesStmt.all(repoPath).map((r) => ({ rule: r.rule, createdAt: r.created_at }));
  }

  addRule(repoPath: string, rule: string, createdAt: string): void {
    this.addRuleStmt.run(repoPath, rule, createdAt);
  }

  /** A person forgets a rule: committed durably, like every decision of theirs (store/durableCommit.ts). */
  forget(repoPath: string, rule: string): boolean {
    return durably(this.db, () => this.forgetStmt.run(repoPath, rule).changes === 1);
  }
}
