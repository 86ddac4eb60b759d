// The database and what reads and writes it, opened together and closed together: the stores,
// and the WAL checkpointer the event log tells of every commit.
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { Checkpointer } from './checkpointer';
import { openDatabase, type Durability } from './database';
import { EventStore } from './eventStore';
import { PermissionStore } from './permissionStore';
import { ProcessStore } from './processStore';
import { SettingsStore } from './settingsStore';
import { WorkflowStore } from './workflowStore';

export const DB_FILE_NAME = 'switchyard.db';

export interface StorageOptions {
  durability?: Durability;
  /** WAL checkpoints from a worker thread (default: with `normal` durability only; see checkpointer.ts). */
  checkpointWorker?: boolean;
}

export interface Storage {
  /** The connection itself: for the git layer's repository rows, benchmarks and diagnostics. */
  readonly db: Database.Database;
  readonly workflows: WorkflowStore;
  readonly events: EventStore;
  readonly processes: ProcessStore;
  readonly settings: SettingsStore;
  /** Tool permission requests and remembered rules (rule 11). */
  readonly permissions: PermissionStore;
  /** Told the row count of every commit (the checkpointer paces itself on it). */
  committed(rows: number): void;
  /** Resolves true once WAL checkpoints run in the worker thread, false if SQLite does them inline. */
  checkpointsInWorker(): Promise<boolean>;
  /** Closes the checkpointer's connection first, so that closing the last one removes the WAL. */
  close(): Promise<void>;
}

/** Opens `<dataDir>/switchyard.db` (migrated) with its stores. */
export function openStorage(dataDir: string, options: StorageOptions = {}): Storage {
  const file = join(dataDir, DB_FILE_NAME);
  const db = openDatabase(file, { durability: options.durability });
  const checkpointer =
    !(options.checkpointWorker ?? options.durability !== 'full')
      ? null
      : new Checkpointer(db, file, {
          durability: options.durability,
          onFailure: (e) => console.error('switchyard: checkpoints are back on the main thread:', e.message),
        });
  let closed = false;
  return {
    db,
    workflows: new WorkflowStore(db),
    events: new EventStore(db),
    processes: new ProcessStore(db),
    settings: new SettingsStore(db),
    permissions: new PermissionStore(db),
    committed: (rows) => checkpointer?.committed(rows),
    checkpointsInWorker: () => checkpointer?.ready ?? Promise.resolve(false),
    async close() {
      if (closed) return;
      closed = true;
      await checkpointer?.close();
      db.close();
    },
  };
}
