import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './database';
import { storageError } from './storageError';

describe('storageError', () => {
  it('explains a database locked by another connection, with the SQLite code in details', () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-lock-'));
    const file = join(dir, 'switchyard.db');
    const ours = openDatabase(file);
    ours.pragma('busy_timeout = 0');
    const other = new Database(file);
    try {
      other.exec('BEGIN EXCLUSIVE');
      let caught: unknown;
      try {
        ours.prepare("INSERT INTO settings (key, value_json) VALUES ('k', '1')").run();
      } catch (e) {
        caught = e;
      }
      const err = storageError(caught);
      expect(err).toMatchObject({ code: 'INTERNAL', details: { storage: expect.stringMatching(/^SQLITE_BUSY/) } });
      expect(err!.message).toMatch(/locked by another program.*nothing was changed/);
    } finally {
      other.close();
      ours.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names read-only, full, I/O and damaged databases, and leaves other errors alone', () => {
    const msg = (code: string) => storageError(Object.assign(new Error('x'), { code }))?.message;
    expect(msg('SQLITE_READONLY_DBMOVED')).toMatch(/read-only/);
    expect(msg('SQLITE_FULL')).toMatch(/full/);
    expect(msg('SQLITE_IOERR_WRITE')).toMatch(/disk I\/O error/);
    expect(msg('SQLITE_CORRUPT')).toMatch(/damaged/);
    expect(storageError(Object.assign(new Error('x'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBeNull();
    expect(storageError(new TypeError('bug'))).toBeNull();
    expect(storageError(null)).toBeNull();
  });
});
