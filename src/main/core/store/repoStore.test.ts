import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database';
import { RepoStore } from './repoStore';

describe('RepoStore', () => {
  const db = openDatabase(':memory:');
  afterEach(() => db.exec('DELETE FROM repos'));

  it('adds, lists in the order added, gets and removes', () => {
    const store = new RepoStore(db);
    const a = store.add('/r/b', 'b', '2024-01-01T00:00:00.000Z');
    const b = store.add('/r/a', 'a', '2024-01-02T00:00:00.000Z');
    expect(a.created).toBe(true);
    expect(a.repo).toEqual({ id: expect.any(String), path: '/r/b', name: 'b', addedAt: '2024-01-01T00:00:00.000Z' });
    expect(store.list().map((r) => r.path)).toEqual(['/r/b', '/r/a']);
    expect(store.get(b.repo.id)).toEqual(b.repo);
    expect(store.remove(a.repo.id)).toBe(true);
    expect(store.remove(a.repo.id)).toBe(false);
    expect(store.get(a.repo.id)).toBeNull();
    expect(store.list()).toEqual([b.repo]);
  });

  it('adding the same path again returns the stored row unchanged', () => {
    const store = new RepoStore(db);
    const first = store.add('/r/x', 'x', '2024-01-01T00:00:00.000Z');
    const again = store.add('/r/x', 'other', '2025-01-01T00:00:00.000Z');
    expect(again).toEqual({ repo: first.repo, created: false });
    expect(store.list()).toHaveLength(1);
  });
});
