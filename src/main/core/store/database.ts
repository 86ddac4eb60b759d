// Opens the SQLite file with the settings every rule relies on.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrations';

export type Durability = 'normal' | 'full';

export interface OpenOptions {
  /**
   * `normal` (the default): WAL with synchronous=NORMAL. A commit is appended to the WAL with
   * write(2) before better-sqlite3 returns, so once an emit is acknowledged the event is in the
   * operating system's hands: killing the process (even kill -9) cannot lose it. Only a power
   * loss or kernel crash can roll back the last few commits, and the database stays consistent;
   * decisions and status changes commit at FULL one by one (durableCommit.ts), so never those.
   * `full`: also fsync every commit (survives power loss; several times slower per commit).
   */
  durability?: Durability;
  readonly?: boolean;
}

export function openDatabase(file: string, options: OpenOptions = {}): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, options.readonly ? { readonly: true } : {});
  try {
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    }
    db.pragma('foreign_keys = ON');
    if (!options.readonly) migrate(db);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
