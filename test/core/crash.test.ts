// Rule 9 with a real hard kill: every event acknowledged before kill -9 is in the database,
// the database is intact and the sequences have no gap.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('loses nothing acknowledged when the process is killed with SIGKILL', async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-crash-'));
  const worktree = join(dir, 'wt');
  mkdirSync(worktree);
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/crashEmitter.ts', join(dir, 'data'), worktree], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const acked: number[] = [];
  let workflowId = '';
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  for await (const line of createInterface({ input: child.stdout! })) {
    if (line.startsWith('workflow ')) workflowId = line.slice(9);
    if (line.startsWith('ack ')) acked.push(Number(line.slice(4)));
    if (acked.length === 3000) child.kill('SIGKILL');
  }
  expect(await exited).toBe('SIGKILL');

  const db = new Database(join(dir, 'data', 'switchyard.db'));
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const stored = (db.prepare('SELECT sequence FROM events WHERE workflow_id = ? ORDER BY sequence').all(workflowId) as { sequence: number }[]).map(
      (r) => r.sequence,
    );
    expect(stored).toEqual(Array.from({ length: stored.length }, (_, i) => i + 1));
    expect(stored.length).toBeGreaterThanOrEqual(Math.max(...acked));
  } finally {
    db.close();
  }
}, 60_000);
