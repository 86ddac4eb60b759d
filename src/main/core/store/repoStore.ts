// Repository rows (migration 1's `repos` table): snake_case stays here, camelCase leaves.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Repo } from '../../../shared/domain';

interface Row {
  id: string;
  path: string;
  name: string;
  added_at: string;
}

const toRepo = (r: Row): Repo => ({ id: r.id, path: r.path, name: r.name, addedAt: r.added_at });

export class RepoStore {
  private readonly listStmt: Database.Statement<[], Row>;
  private readonly getStmt: Database.Statement<[string], Row>;
  private readonly byPathStmt: Database.Statement<[string], Row>;
  private readonly insertStmt: Database.Statement<[string, string, string, string]>;
  private readonly deleteStmt: Database.Statement<[string]>;

  constructor(db: Database.Database) {
    this.listStmt = db.prepare('SELECT id, path, name, added_at FROM repos ORDER BY added_at, rowid');
    this.getStmt = db.prepare('SELECT id, path, name, added_at FROM repos WHERE id = ?');
    this.byPathStmt = db.prepare('SELECT id, path, name, added_at FROM repos WHERE path = ?');
    // The UNIQUE(path) constraint makes adding idempotent, also under concurrent adds.
    this.insertStmt = db.prepare('INSERT INTO repos (id, path, name, added_at) VALUES (?, ?, ?, ?) ON CONFLICT(path) DO NOTHING');
    this.deleteStmt = db.prepare('DELETE FROM repos WHERE id = ?');
  }

  list(): Repo[] {
    return this.listStmt.all().map(toRepo);
  }

  get(id: string): Repo | null {
    const row = this.getStmt.get(id);
    return row ? toRepo(row) : null;
  }

  byPath(path: string): Repo | null {
    const row = this.byPathStmt.get(path);
    return row ? toRepo(row) : null;
  }

  /** Adds the repository at `path`, or returns the one already stored there (unchanged). */
  add(path: string, name: string, addedAt: string): { repo: Repo; created: boolean } {
    const info = this.insertStmt.run(randomUUID(), path, name, addedAt);
    return { repo: this.byPath(path)!, created: info.changes === 1 };
  }

  /** True when a row was deleted. */
  remove(id: string): boolean {
    return this.deleteStmt.run(id).changes === 1;
  }
}
