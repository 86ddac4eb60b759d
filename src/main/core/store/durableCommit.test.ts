import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database';
import { DurableCommitError, durably } from './durableCommit';

let dir: string;
let db: Database.Database;
const level = () => db.pragma('synchronous', { simple: true });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-durable-'));
  db = openDatabase(join(dir, 'x.db'));
  db.exec('CREATE TABLE t (x)');
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('durably', () => {
  it('commits at FULL and puts the connection back at NORMAL, also when the commit throws', () => {
    const seen = durably(db, () => {
      db.transaction(() => db.prepare('INSERT INTO t VALUES (1)').run())();
      return level();
    });
    expect(seen).toBe(2);
    expect(level()).toBe(1);
    expect(() => durably(db, () => { throw new Error('boom'); })).toThrow('boom');
    expect(level()).toBe(1);
  });

  it('refuses to run inside an open transaction (SQLite cannot change synchronous there), writing nothing', () => {
    const tx = db.transaction(() => {
      db.prepare('INSERT INTO t VALUES (1)').run();
      durably(db, () => 0);
    });
    expect(() => tx()).toThrow(DurableCommitError);
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 0 });
    expect(level()).toBe(1);
  });

  it('leaves a connection opened at FULL as it is, even inside a transaction', () => {
    const full = openDatabase(join(dir, 'full.db'), { durability: 'full' });
    try {
      full.transaction(() => durably(full, () => 0))();
      expect(full.pragma('synchronous', { simple: true })).toBe(2);
    } finally {
      full.close();
    }
  });
});
