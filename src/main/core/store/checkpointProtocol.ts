// The messages between the checkpointer (checkpointer.ts, on the main thread) and its worker
// (checkpoint.worker.ts). Both sides type what they send and receive from these. Types only.

/** What the worker is started with. */
export interface CheckpointWorkerData {
  /** better-sqlite3's entry, as the main thread resolved it (inside app.asar once packaged). */
  driver: string;
  /** The database file; the worker opens a second connection to it. */
  file: string;
  /** The main connection's: a checkpoint syncs as that connection would. */
  synchronous: 'NORMAL' | 'FULL';
  /**
   * Int32 slot 0: the checkpoints the worker has finished. The worker adds to it with Atomics
   * before it replies, so the main thread sees that a checkpoint ended without waiting for the
   * reply: a long synchronous stretch (a burst of commits) never turns the event loop to read it.
   */
  progress: SharedArrayBuffer;
}

export type CheckpointRequest =
  /** Run a PASSIVE checkpoint and answer `checkpointed`. */
  | { kind: 'checkpoint' }
  /** Close the connection and end the worker. */
  | { kind: 'close' };

export interface CheckpointResult {
  /** Frames in the WAL when the checkpoint ran, and how many of them are now in the database. */
  frames: number;
  checkpointed: number;
}

export type CheckpointReply =
  /** The connection is open; its `PRAGMA synchronous` (1 NORMAL, 2 FULL). */
  | { kind: 'ready'; synchronous: number }
  | ({ kind: 'checkpointed' } & CheckpointResult);
