// The checkpointer's thread (checkpointer.ts says why it exists): a second connection to the
// database that runs PASSIVE checkpoints when asked, as checkpointProtocol.ts says. A worker
// entry: it imports only Node's built-ins, better-sqlite3's types and its protocol.
import type BetterSqlite3 from 'better-sqlite3';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type { CheckpointReply, CheckpointRequest, CheckpointWorkerData } from './checkpointProtocol';

const port = parentPort;
if (!port) throw new Error('checkpoint.worker runs only as a worker thread');
const reply = (message: CheckpointReply) => port.postMessage(message);
const data = workerData as CheckpointWorkerData;
const finished = new Int32Array(data.progress);

// The driver by the path the main thread resolved, so that both threads load the one copy.
const Database = createRequire(import.meta.url)(data.driver) as typeof BetterSqlite3;
const db = new Database(data.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
// The checkpoint syncs as the main connection would: the WAL before, the database file after.
db.pragma(`synchronous = ${data.synchronous}`);
reply({ kind: 'ready', synchronous: db.pragma('synchronous', { simple: true }) as number });

port.on('message', (m: CheckpointRequest) => {
  if (m.kind === 'close') {
    db.close();
    port.close();
    return;
  }
  const [row] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
  Atomics.add(finished, 0, 1);
  Atomics.notify(finished, 0);
  reply({ kind: 'checkpointed', frames: row!.log, checkpointed: row!.checkpointed });
});
