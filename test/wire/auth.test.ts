// docs/design.md §4.2: no token, a wrong token, a foreign or missing Origin — each connection gets
// UNAUTHORIZED and is closed, and nothing it sends reaches the core.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNAUTHORIZED_CLOSE_CODE, tokenMatches } from '../../src/main/transport/websocket';
import { RawClient, databaseDigest, startFixture, type ServerFixture } from './helpers';

let fx: ServerFixture;
let digest: string;
beforeAll(async () => {
  fx = await startFixture();
  digest = databaseDigest(fx.h);
});
afterAll(async () => fx?.close());

/** Opens a connection with the given token/origin and immediately fires requests at it. */
async function attempt(opts: { token?: string | null; origin?: string | null }) {
  const port = fx.server.port;
  const url = `ws://127.0.0.1:${port}/ws${opts.token === null ? '' : `?token=${encodeURIComponent(opts.token ?? fx.server.token)}`}`;
  const ws = new WebSocket(url, opts.origin === null ? {} : { origin: opts.origin ?? fx.server.origin });
  const messages: unknown[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(String(d))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  ws.on('open', () => {
    // A request before (and regardless of) the verdict: must never reach the core.
    ws.send(JSON.stringify({ id: 1, method: 'workflows.start', params: { worktreePath: fx.h.worktree('x'), issueId: 'EVIL' } }));
    ws.send(JSON.stringify({ id: 2, method: 'settings.set', params: { maxConcurrent: 99 } }));
  });
  return { ...(await closed), messages };
}

describe('refused connections', () => {
  it.each([
    ['no token', { token: null }, 'missing token'],
    ['a wrong token', { token: 'wrong-token-0123456789abcdef' }, 'wrong token'],
    ['a token that is a prefix of the right one', { token: 'test-token' }, 'wrong token'],
    ['an empty token', { token: '' }, 'wrong token'],
    ['the right token from a foreign Origin', { origin: 'http://evil.example' }, 'foreign Origin'],
    ['the right token from localhost instead of 127.0.0.1', { origin: 'http://localhost:1' }, 'foreign Origin'],
    ['the right token without an Origin', { origin: null }, 'missing Origin'],
  ])('%s', async (_name, opts, reason) => {
    const before = fx.refused.length;
    const r = await attempt(opts);
    expect(r.code).toBe(UNAUTHORIZED_CLOSE_CODE);
    expect(r.reason).toBe('UNAUTHORIZED');
    expect(r.messages).toEqual([{ id: null, error: { code: 'UNAUTHORIZED', message: expect.stringContaining('Unauthorized') } }]);
    expect(fx.refused.slice(before)).toEqual([reason]);
    expect(fx.reached).toEqual([]);
    expect(databaseDigest(fx.h)).toBe(digest);
    expect(fx.h.orch.settings().maxConcurrent).toBe(5);
  });

  it('the right token from the server origin is accepted', async () => {
    const c = await RawClient.open(fx.server);
    expect(await c.call('workflows.active', {})).toEqual({ id: 1, result: [] });
    expect(fx.reached).toEqual(['workflows.active']);
    await c.close();
  });

  it('another path is not a WebSocket', async () => {
    await expect(RawClient.open(fx.server, { path: '/socket' })).rejects.toThrow(/404/);
  });

  it('compares tokens in constant time and exactly', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'abd')).toBe(false);
    expect(tokenMatches('ab', 'abc')).toBe(false);
    expect(tokenMatches('', 'abc')).toBe(false);
  });
});
