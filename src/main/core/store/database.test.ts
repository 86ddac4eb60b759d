import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database';
import { MIGRATIONS, SCHEMA_VERSION, migrate } from './migrations';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-db-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('openDatabase', () => {
  it('uses WAL, foreign keys, a busy timeout and synchronous=NORMAL by default', () => {
    const db = openDatabase(join(dir, 'a.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('uses synchronous=FULL when asked', () => {
    const db = openDatabase(join(dir, 'b.db'), { durability: 'full' });
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });

  it('applies each migration once, in order, recording user_version', () => {
    const db = openDatabase(join(dir, 'c.db'));
    const applied: number[] = [];
    const next = [...MIGRATIONS, { version: SCHEMA_VERSION + 1, name: 'test', up: () => void applied.push(SCHEMA_VERSION + 1) }];
    expect(migrate(db, next)).toBe(SCHEMA_VERSION + 1);
    expect(migrate(db, next)).toBe(SCHEMA_VERSION + 1);
    expect(applied).toEqual([SCHEMA_VERSION + 1]);
    db.close();
  });

  it('rolls back a failing migration and leaves the version unchanged', () => {
    const db = openDatabase(join(dir, 'd.db'));
    const broken = [
      ...MIGRATIONS,
      {
        version: SCHEMA_VERSION + 1,
        name: 'broken',
        up: (d: typeof db) => {
          d.exec('CREATE TABLE half_done (x)');
          d.exec('THIS IS NOT SQL');
        },
      },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    db.close();
  });

  it('refuses a database written by a newer version', () => {
    const file = join(dir, 'e.db');
    const db = openDatabase(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    db.close();
    expect(() => openDatabase(file)).toThrow(/newer Switchyard/);
  });
});
