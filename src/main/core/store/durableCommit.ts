// A commit that survives a power cut, on a connection that otherwise runs at synchronous=NORMAL.
//
// Why: at NORMAL a WAL commit is written (write(2)) but not synced, so a power cut can roll back
// the newest commits. That is fine for an agent's output lines, not for what a person decided:
// an approval, a cancel or a setting must not vanish after Switchyard said it was done. So those
// commits run at synchronous=FULL, where SQLite fdatasync()s the WAL before COMMIT returns; one
// sync of the WAL also makes every earlier commit in it durable (older frames were checkpointed
// into the database file, which the checkpoint synced before the WAL could be reused).
//
// How (measured in docs/performance.md, P3): `PRAGMA synchronous` is per connection and costs
// no I/O, so it is switched to FULL for this one commit and back. SQLite refuses to change it
// inside an open transaction, hence the check below. Syncing the WAL ourselves through a second
// file descriptor was rejected: closing any descriptor of a file drops every POSIX lock this
// process holds on it (SQLite's locks included), and the WAL file is recreated after the last
// connection closes, so a kept descriptor could sync a deleted file.
import type Database from 'better-sqlite3';

/** SQLite's `PRAGMA synchronous` values. */
const FULL = 2;
const LEVELS = ['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const;

// Each PRAGMA is prepared anew (exec): SQLite applies and reads `synchronous` while it compiles
// the statement, so a statement prepared once would report, and set, the level of that moment.
// The level a connection runs at between durable commits is read once and remembered: it is set
// when the connection opens (database.ts) and only durably() changes it, always back. Reading it
// on every commit compiled a statement each time (a measurable share of an approve: P3).
const levels = new WeakMap<Database.Database, number>();
function level(db: Database.Database): number {
  let n = levels.get(db);
  if (n === undefined) levels.set(db, (n = db.pragma('synchronous', { simple: true }) as number));
  return n;
}
const setLevel = (db: Database.Database, n: number) => db.exec(`PRAGMA synchronous = ${LEVELS[n] ?? 'NORMAL'}`);

/** A durable commit asked for while a transaction is open: its COMMIT could not be synced. */
export class DurableCommitError extends Error {
  constructor() {
    super('a durable commit must open its own transaction: synchronous cannot change inside one');
  }
}

/**
 * Runs `commit` — which must open and commit its own transaction — with the connection at
 * synchronous=FULL, so that when it returns the commit (and every earlier one) is on disk.
 * A connection already at FULL or EXTRA runs it as it is.
 */
export function durably<T>(db: Database.Database, commit: () => T): T {
  const prior = level(db);
  if (prior >= FULL) return commit();
  if (db.inTransaction) throw new DurableCommitError();
  setLevel(db, FULL);
  try {
    return commit();
  } finally {
    setLevel(db, prior);
  }
}
