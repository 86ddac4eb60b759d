// The envelope rules of docs/design.md §4.1, below any transport.
import { describe, expect, it } from 'vitest';
import { SwitchyardError } from '../../src/shared/errors';
import { handleText, invoke } from '../../src/main/transport/dispatch';
import type { Handlers } from '../../src/main/transport/handlers';

/** A handler table whose handlers record their params and do what the test says. */
function table(behaviour: (method: string, params: unknown) => unknown): { handlers: Handlers; calls: [string, unknown][] } {
  const calls: [string, unknown][] = [];
  const handlers = new Proxy({} as Handlers, {
    get: (_t, method: string) => (params: unknown) => {
      calls.push([method, params]);
      return behaviour(method, params);
    },
  });
  return { handlers, calls };
}

describe('handleText', () => {
  const { handlers, calls } = table(() => ({ ok: true }));

  it.each([
    ['invalid JSON', '{"id":1,', 'not valid JSON'],
    ['a JSON array', '[1,2]', 'must be a JSON object'],
    ['a JSON string', '"hello"', 'must be a JSON object'],
    ['null', 'null', 'must be a JSON object'],
    ['a missing id', '{"method":"settings.get","params":{}}', 'id'],
    ['an object id', '{"id":{},"method":"settings.get","params":{}}', 'id'],
    ['a boolean id', '{"id":true,"method":"settings.get"}', 'id'],
  ])('answers %s with INVALID_INPUT and id null', async (_name, text, words) => {
    const before = calls.length;
    const r = await handleText(handlers, text);
    expect(r.id).toBeNull();
    expect('error' in r && r.error.code).toBe('INVALID_INPUT');
    expect('error' in r && r.error.message).toContain(words);
    expect(calls.length).toBe(before);
  });

  it('echoes number and string ids unchanged', async () => {
    for (const id of [0, -1, 1.5, 1e300, '', 'abc', '🚂', 'x'.repeat(200)]) {
      const r = await handleText(handlers, JSON.stringify({ id, method: 'settings.get', params: {} }));
      expect(r).toEqual({ id, result: { ok: true } });
    }
  });

  it('echoes a valid id with an envelope error (unknown key, unknown method)', async () => {
    const extra = await handleText(handlers, JSON.stringify({ id: 7, method: 'settings.get', params: {}, extra: 1 }));
    expect(extra).toMatchObject({ id: 7, error: { code: 'INVALID_INPUT' } });
    const unknown = await handleText(handlers, JSON.stringify({ id: 'u', method: 'constructor', params: {} }));
    expect(unknown).toMatchObject({ id: 'u', error: { code: 'INVALID_INPUT', message: expect.stringContaining('Unknown method') } });
    const proto = await handleText(handlers, JSON.stringify({ id: 'p', method: '__proto__', params: {} }));
    expect(proto).toMatchObject({ id: 'p', error: { code: 'INVALID_INPUT' } });
  });

  it('treats missing params as {} and refuses null params', async () => {
    expect(await handleText(handlers, '{"id":1,"method":"workflows.active"}')).toEqual({ id: 1, result: { ok: true } });
    expect(await handleText(handlers, '{"id":2,"method":"workflows.active","params":null}')).toMatchObject({ id: 2, error: { code: 'INVALID_INPUT' } });
  });

  it('lists every issue readably, refuses unknown and __proto__ keys', async () => {
    const r = await handleText(handlers, JSON.stringify({ id: 1, method: 'workflows.start', params: { worktreePath: 5, issueId: '  ' } }));
    expect(r).toMatchObject({ id: 1, error: { code: 'INVALID_INPUT' } });
    const err = (r as unknown as { error: { message: string; details: { issues: { path: string }[] } } }).error;
    expect(err.message).toMatch(/^Invalid params for workflows\.start: worktreePath: .+; issueId: issueId is required$/);
    expect(err.details.issues.map((i) => i.path)).toEqual(['worktreePath', 'issueId']);
    const proto = await handleText(handlers, '{"id":2,"method":"workflows.get","params":{"workflowId":"a","__proto__":{"polluted":true}}}');
    expect(proto).toMatchObject({ id: 2, error: { code: 'INVALID_INPUT', message: expect.stringContaining('__proto__') } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('hands the handler the parsed params (trimmed, no extra keys)', async () => {
    const { handlers: h, calls: c } = table(() => null);
    await handleText(h, JSON.stringify({ id: 1, method: 'workflows.start', params: { worktreePath: '/w', issueId: ' I-1 ' } }));
    expect(c).toEqual([['workflows.start', { worktreePath: '/w', issueId: 'I-1' }]]);
  });
});

describe('errors', () => {
  it('passes a SwitchyardError on as {code, message, details}', async () => {
    const { handlers } = table(() => {
      throw new SwitchyardError('WORKTREE_CONFLICT', 'busy', { workflowId: 'w1' });
    });
    expect(await invoke(handlers, 'workflows.active', {})).toEqual({ error: { code: 'WORKTREE_CONFLICT', message: 'busy', details: { workflowId: 'w1' } } });
  });

  it('turns anything else into INTERNAL without stack or internal paths, and reports it', async () => {
    const seen: unknown[] = [];
    const boom = new Error(`ENOENT: no such file ${process.cwd()}/src/main/core/secret.ts`);
    const { handlers } = table(async () => {
      throw boom;
    });
    const r = await invoke(handlers, 'settings.get', {}, { onInternalError: (_m, e) => seen.push(e) });
    expect(r).toEqual({ error: { code: 'INTERNAL', message: 'Internal error while handling settings.get; see the Switchyard log' } });
    expect(JSON.stringify(r)).not.toContain(process.cwd());
    expect(seen).toEqual([boom]);
  });

  it('says plainly when the database is locked or cannot be written, still without paths', async () => {
    const locked = Object.assign(new Error(`database is locked: ${process.cwd()}/data/switchyard.db`), { code: 'SQLITE_BUSY' });
    const { handlers } = table(async () => {
      throw locked;
    });
    const r = await invoke(handlers, 'settings.get', {}, { onInternalError: () => undefined });
    expect(r).toMatchObject({ error: { code: 'INTERNAL', message: expect.stringMatching(/database is locked by another program.*nothing was changed/), details: { storage: 'SQLITE_BUSY' } } });
    expect(JSON.stringify(r)).not.toContain(process.cwd());
  });
});

describe('permissions.* params (rule 11)', () => {
  const { handlers, calls } = table(() => ({ ok: true }));
  const decide = (params: unknown) => handleText(handlers, JSON.stringify({ id: 1, method: 'permissions.decide', params }));

  it.each([
    ['an oversized message', { workflowId: 'w', requestId: 'r', decision: 'deny', message: 'x'.repeat(2001) }],
    ['an unknown key', { workflowId: 'w', requestId: 'r', decision: 'allow', always: true }],
    ['an unknown decision', { workflowId: 'w', requestId: 'r', decision: 'maybe' }],
    ['remember other than "repository"', { workflowId: 'w', requestId: 'r', decision: 'allow', remember: 'global' }],
    ['a missing requestId', { workflowId: 'w', decision: 'allow' }],
  ])('refuses %s with INVALID_INPUT before any handler runs', async (_name, params) => {
    const before = calls.length;
    expect(await decide(params)).toMatchObject({ id: 1, error: { code: 'INVALID_INPUT' } });
    expect(calls.length).toBe(before);
  });

  it('refuses a malformed rule to forget', async () => {
    const r = await handleText(handlers, JSON.stringify({ id: 2, method: 'permissions.forget', params: { repoId: 'r', rule: 'Bash(oops' } }));
    expect(r).toMatchObject({ id: 2, error: { code: 'INVALID_INPUT' } });
  });
});

describe('paths', () => {
  it('a path with a NUL byte is INVALID_INPUT for every method that takes one, before any handler runs', async () => {
    const { handlers, calls } = table(() => ({}));
    const { METHODS, contract } = await import('../../src/shared/contract');
    const withPath = METHODS.flatMap((m) => {
      const shape = (contract[m].params as unknown as { shape?: Record<string, unknown> }).shape ?? {};
      return ['path', 'worktreePath'].filter((k) => k in shape).map((k) => [m, k] as const);
    });
    expect(withPath.length).toBeGreaterThanOrEqual(10);
    for (const [method, key] of withPath) {
      const r = await handleText(handlers, JSON.stringify({ id: 1, method, params: { [key]: '/tmp/a\u0000b' } }));
      expect('error' in r && r.error.code, method).toBe('INVALID_INPUT');
    }
    expect(calls).toEqual([]);
  });
});
