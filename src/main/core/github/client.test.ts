// The client reads only fields GitHub really sends: each parser gets a recorded or published
// response (test/fixtures/github, sources named there) behind a proxy that throws on any read of a
// field the response does not have, so a client reading an invented field fails here.
import { describe, expect, it } from 'vitest';
import { githubFixture, startGitHubStandIn } from '../testing/githubStandIn';
import { apiMessage } from './errors';
import { checksOf, toPull } from './client';

type Json = Record<string, unknown>;

/** The object, read-only to fields it has: reading any other throws, naming the path. */
function strict<T>(value: T, path = '$'): T {
  if (typeof value !== 'object' || value === null) return value;
  return new Proxy(value as object, {
    get(target, key, receiver) {
      if (typeof key === 'symbol' || Array.isArray(target) && (key === 'length' || key in Array.prototype)) return Reflect.get(target, key, receiver);
      if (!(key in target)) throw new Error(`read ${path}.${key}, which the recorded response does not have`);
      return strict(Reflect.get(target, key, receiver), `${path}.${key}`);
    },
  }) as T;
}

/**
 * Where `got` differs in shape from `want`: every object has the same field names; values go on
 * being compared where both are objects (null, and an empty list, stand for any value).
 */
function shapeDiff(got: unknown, want: unknown, at = '$'): string[] {
  if (Array.isArray(got) && Array.isArray(want)) return want.length === 0 ? [] : got.flatMap((x) => shapeDiff(x, want[0], `${at}[]`));
  if (typeof got !== 'object' || got === null || typeof want !== 'object' || want === null || Array.isArray(got) !== Array.isArray(want)) return [];
  const g = Object.keys(got);
  const w = Object.keys(want);
  return [
    ...g.filter((k) => !w.includes(k)).map((k) => `${at}.${k} invented`),
    ...w.filter((k) => !g.includes(k)).map((k) => `${at}.${k} missing`),
    ...g.filter((k) => w.includes(k)).flatMap((k) => shapeDiff((got as Json)[k], (want as Json)[k], `${at}.${k}`)),
  ];
}

describe('the client against recorded and published GitHub responses', () => {
  it('reads a created pull request, a listed one and their heads from the fields they have', () => {
    const created = toPull(strict(githubFixture('pulls-create').body as Json));
    expect(created).toEqual({
      number: 1347,
      url: 'https://github.com/octocat/Hello-World/pull/1347',
      title: 'Amazing new feature',
      // The published example is open but carries a merged_at: merged_at decides.
      state: 'merged',
      draft: false,
      headSha: '6dcb09b5b57875f334f61aebed695e2e4193db5e',
    });
    const listed = toPull(strict((githubFixture('pulls-list').body as Json[])[0]!));
    expect(listed.number).toBe(1347);
    expect(listed.headSha).toBe('6dcb09b5b57875f334f61aebed695e2e4193db5e');
    // An open, unmerged one from the list: nothing beyond merged_at may be needed to say so.
    const open = toPull(strict({ ...(githubFixture('pulls-list').body as Json[])[0]!, merged_at: null }));
    expect(open.state).toBe('open');
  });

  it('reads check runs and a combined status from the fields they have', () => {
    const runs = (githubFixture('check-runs').body as { check_runs: Json[] }).check_runs;
    const combined = githubFixture('combined-status').body as { statuses: Json[] };
    const r = checksOf(strict(runs), strict(combined.statuses));
    // The recorded status "example/1" failed; the published check run is neutral (not a failure).
    expect(r).toEqual({ state: 'failing', failing: [{ name: 'example/1', summary: 'create-status failure test', url: 'https://example.com' }] });
  });

  it('finds "already exists" in the words of GitHub\'s 422', () => {
    const f = githubFixture('validation-error-pull-exists');
    expect(f.status).toBe(422);
    expect(apiMessage({ status: 422, message: '', headers: {}, data: strict(f.body) })).toMatch(/A pull request already exists for octocat:new-topic\./);
  });

  it('the stand-in answers with exactly the fields of those responses', async () => {
    const token = 't0ken';
    const gh = await startGitHubStandIn({ token });
    try {
      const get = async (path: string, init: RequestInit = {}) => {
        const r = await fetch(`${gh.url}/repos/${gh.owner}/${gh.repo}${path}`, { ...init, headers: { authorization: `token ${token}`, 'content-type': 'application/json' } });
        return { status: r.status, body: (await r.json()) as unknown };
      };
      gh.checks.set('*', [{ name: 'ci', status: 'completed', conclusion: 'failure', title: 't', summary: 's' }]);
      gh.statuses.set('*', [{ context: 'lint', state: 'failure', description: 'd' }]);
      const pr = { title: 'T', head: 'topic', base: 'main', body: 'B' };
      const created = await get('/pulls', { method: 'POST', body: JSON.stringify(pr) });
      const again = await get('/pulls', { method: 'POST', body: JSON.stringify(pr) });
      // [fixture, answer, its status] (a read pull request has the created one's shape, status 200).
      const cases: Array<[string, { status: number; body: unknown }, number]> = [
        ['pulls-create', created, 201],
        ['pulls-list', await get(`/pulls?head=${gh.owner}:topic&state=all`), 200],
        ['pulls-create', await get(`/pulls/${(created.body as Json).number}`), 200],
        ['repos-get', await get(''), 200],
        ['check-runs', await get('/commits/abc/check-runs'), 200],
        ['combined-status', await get('/commits/abc/status'), 200],
        ['validation-error-pull-exists', again, 422],
      ];
      expect((again.body as { errors: Json[] }).errors[0]!.message).toBe(`A pull request already exists for ${gh.owner}:topic.`);
      for (const [name, got, status] of cases) {
        const want = githubFixture(name as Parameters<typeof githubFixture>[0]);
        expect({ name, status: got.status }).toEqual({ name, status });
        expect(shapeDiff(got.body, want.body), name).toEqual([]);
      }
    } finally {
      await gh.close();
    }
  });
});
