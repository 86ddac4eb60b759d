// The real server in process, over a real `ws` client: every method's happy path (results
// checked against the contract's schemas), every error code, the pushes, the static files.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, type Method, type Push, type Result } from '../../src/shared/contract';
import type { Workflow } from '../../src/shared/domain';
import { repoServiceFor } from '../../src/main/core/createCore';
import { sandbox, write, type Sandbox } from '../../src/main/core/testing/gitFixture';
import { RawClient, startFixture, type ServerFixture } from './helpers';

let fx: ServerFixture;
let box: Sandbox;
let c: RawClient;

beforeAll(async () => {
  box = sandbox();
  fx = await startFixture({
    core: (h) => ({
      orchestrator: h.orch,
      repos: repoServiceFor(h.orch, h.storage.db),
    }),
  });
  c = await RawClient.open(fx.server);
});
afterAll(async () => {
  await c?.close();
  await fx?.close();
  box?.cleanup();
});

/** Calls and checks the result against the contract's result schema. */
async function ok<M extends Method>(method: M, params: unknown): Promise<Result<M>> {
  const result = await c.ok(method, params);
  const parsed = contract[method].result.safeParse(result);
  if (!parsed.success) throw new Error(`${method} result does not match the contract: ${parsed.error.message}`);
  return result as never;
}

async function error(method: Method, params: unknown): Promise<{ code: string; message: string; details?: Record<string, unknown> }> {
  const r = await c.call(method, params);
  if (!('error' in r)) throw new Error(`${method} should have failed, got ${JSON.stringify(r)}`);
  return r.error;
}

const workflowPush = (id: string, status: Workflow['status']) => (m: unknown) =>
  (m as Push).push === 'workflow' && (m as { data: Workflow }).data.id === id && (m as { data: Workflow }).data.status === status;

describe('every method over the WebSocket', () => {
  it('repositories, worktrees, pipelines, workflows, events and settings', async () => {
    const repoPath = await box.repo('proj');
    const repo = await ok('repos.add', { path: repoPath });
    expect(repo).toMatchObject({ path: repoPath, name: 'proj' });
    expect(await ok('repos.list', {})).toEqual([repo]);

    const main = await ok('worktrees.list', { repoId: repo.id });
    expect(main).toHaveLength(1);
    expect(main[0]).toMatchObject({ path: repoPath, isMain: true, activeWorkflowId: null });
    const wt = await ok('worktrees.create', { repoId: repo.id, branch: 'feat-1' });
    expect(wt).toMatchObject({ branch: 'feat-1', isMain: false });
    write(`${wt.path}/new.txt`, 'hello\n');
    const diff = await ok('worktrees.diff', { worktreePath: wt.path });
    expect(diff.files.map((f) => f.path)).toContain('new.txt');

    expect((await ok('pipelines.list', { worktreePath: wt.path })).map((p) => p.name)).toEqual(['default']);

    // start -> blocked at the gate (pushes arrive without any subscribe call)
    const started = await ok('workflows.start', { worktreePath: wt.path, issueId: 'ISSUE-1', title: 'First' });
    expect(started).toMatchObject({ issueId: 'ISSUE-1', title: 'First', status: 'pending', worktreePath: wt.path });
    await c.next(workflowPush(started.id, 'blocked'));
    expect(await ok('workflows.get', { workflowId: started.id })).toMatchObject({ status: 'blocked', currentStage: 'approve' });
    expect((await ok('workflows.byWorktree', { worktreePath: wt.path }))?.id).toBe(started.id);
    expect((await ok('workflows.active', {})).map((w) => w.id)).toEqual([started.id]);
    expect((await ok('worktrees.list', { repoId: repo.id })).find((w) => w.path === wt.path)?.activeWorkflowId).toBe(started.id);

    const events = await ok('events.list', { workflowId: started.id });
    expect(events.map((e) => e.sequence)).toEqual(events.map((_e, i) => i + 1));
    expect(events.at(-1)?.type).toBe('approval_required');
    expect(await ok('events.list', { workflowId: started.id, afterSequence: 1, limit: 1 })).toEqual([events[1]]);
    expect(await ok('events.list', { workflowId: started.id, beforeSequence: events.length, limit: 2 })).toEqual(events.slice(-3, -1));
    const pushed = c.pushes().filter((p): p is Extract<Push, { push: 'events' }> => p.push === 'events' && p.data.workflowId === started.id);
    expect(pushed.flatMap((p) => p.data.events)).toEqual(events);

    // approve -> runs to completion
    expect(await ok('workflows.approve', { workflowId: started.id })).toMatchObject({ status: 'in_progress' });
    await c.next(workflowPush(started.id, 'completed'));
    expect(await ok('workflows.byWorktree', { worktreePath: wt.path })).toBeNull();

    // reject (with and without replan), cancel, cancelAll
    const second = await ok('workflows.start', { worktreePath: wt.path, issueId: 'ISSUE-2' });
    await c.next(workflowPush(second.id, 'blocked'));
    expect(await ok('workflows.reject', { workflowId: second.id, feedback: 'Try again', replan: true })).toMatchObject({ status: 'in_progress' });
    await c.next(workflowPush(second.id, 'blocked'));
    expect(await ok('workflows.reject', { workflowId: second.id, feedback: 'No' })).toMatchObject({ status: 'failed', failureReason: 'No' });
    const third = await ok('workflows.start', { worktreePath: wt.path, issueId: 'ISSUE-3' });
    await c.next(workflowPush(third.id, 'blocked'));
    expect(await ok('workflows.cancel', { workflowId: third.id, reason: 'not needed' })).toMatchObject({ status: 'cancelled' });
    const wt2 = await ok('worktrees.create', { repoId: repo.id, branch: 'feat-2' });
    const fourth = await ok('workflows.start', { worktreePath: wt2.path, issueId: 'ISSUE-4' });
    await c.next(workflowPush(fourth.id, 'blocked'));
    expect(await ok('workflows.cancelAll', { reason: 'going home' })).toEqual({ cancelled: [fourth.id] });

    const page = await ok('workflows.list', { limit: 2 });
    expect(page.items.map((w) => w.id)).toEqual([fourth.id, third.id]);
    const rest = await ok('workflows.list', { limit: 2, cursor: page.nextCursor! });
    expect(rest.items.map((w) => w.id)).toEqual([second.id, started.id]);
    expect((await ok('workflows.list', { status: 'failed' })).items.map((w) => w.id)).toEqual([second.id]);
    expect((await ok('workflows.list', { worktreePath: wt2.path })).items.map((w) => w.id)).toEqual([fourth.id]);

    expect(await ok('worktrees.remove', { worktreePath: wt2.path })).toEqual({});
    expect(await ok('worktrees.remove', { worktreePath: wt.path, force: true })).toEqual({});
    expect(await ok('repos.remove', { repoId: repo.id })).toEqual({});
    expect(await ok('repos.list', {})).toEqual([]);

    expect(await ok('settings.get', {})).toMatchObject({ maxConcurrent: 5 });
    expect(await ok('settings.set', { maxConcurrent: 7, notifications: false })).toMatchObject({ maxConcurrent: 7, notifications: false, retentionDays: 30 });
    expect(await ok('settings.set', { maxConcurrent: 5 })).toMatchObject({ maxConcurrent: 5 });
    expect(fx.internalErrors).toEqual([]);
  });
});

describe('error codes over the WebSocket', () => {
  it('INVALID_INPUT, NOT_FOUND, INVALID_STATE, WORKTREE_CONFLICT, CONCURRENCY_LIMIT', async () => {
    expect(await error('workflows.start', { worktreePath: 'relative/path', issueId: 'X' })).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await error('settings.set', { maxConcurrent: 0 })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('maxConcurrent') });
    expect(await error('repos.add', { path: box.dir })).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await error('workflows.get', { workflowId: 'nope' })).toMatchObject({ code: 'NOT_FOUND', details: { workflowId: 'nope' } });
    expect(await error('events.list', { workflowId: 'nope' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await error('repos.remove', { repoId: 'nope' })).toMatchObject({ code: 'NOT_FOUND' });

    const a = fx.h.worktree('a');
    const b = fx.h.worktree('b');
    const first = await ok('workflows.start', { worktreePath: a, issueId: 'A' });
    await c.next(workflowPush(first.id, 'blocked'));
    expect(await error('workflows.start', { worktreePath: a, issueId: 'A2' })).toMatchObject({
      code: 'WORKTREE_CONFLICT',
      details: { workflowId: first.id },
    });
    await ok('settings.set', { maxConcurrent: 1 });
    expect(await error('workflows.start', { worktreePath: b, issueId: 'B' })).toMatchObject({ code: 'CONCURRENCY_LIMIT', details: { limit: 1, current: 1 } });
    await ok('workflows.cancel', { workflowId: first.id });
    expect(await error('workflows.approve', { workflowId: first.id })).toMatchObject({ code: 'INVALID_STATE', details: { status: 'cancelled' } });
    expect(await error('workflows.cancel', { workflowId: first.id })).toMatchObject({ code: 'INVALID_STATE' });
    await ok('settings.set', { maxConcurrent: 5 });
    expect(fx.internalErrors).toEqual([]);
  });
});

describe('INTERNAL', () => {
  it('a fault inside the core becomes INTERNAL with no stack and no internal path; the server lives on', async () => {
    const f = await startFixture();
    const raw = await RawClient.open(f.server);
    try {
      // An I/O fault below the orchestrator: the database is closed under it.
      f.h.storage.db.close();
      const r = await raw.call('workflows.list', {});
      expect(r).toEqual({ id: 1, error: { code: 'INTERNAL', message: 'Internal error while handling workflows.list; see the Switchyard log' } });
      expect(f.internalErrors).toHaveLength(1);
      expect(await raw.call('workflows.get', { workflowId: 'x'.repeat(129) })).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    } finally {
      await raw.close();
      await f.close().catch(() => {});
    }
  });
});

describe('static files', () => {
  const get = (path: string, host?: string) =>
    new Promise<{ status: number; type: string | undefined; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: fx.server.port, path, headers: host ? { host } : {} }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'], body, headers: res.headers }));
      });
      req.on('error', reject);
      req.end();
    });

  it('serves the renderer with content types and security headers', async () => {
    const index = await get('/?token=abc');
    expect(index).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect(index.body).toContain('<title>Switchyard</title>');
    expect(index.headers['referrer-policy']).toBe('no-referrer');
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(await get('/assets/app.js')).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8', body: 'console.log(1)' });
    expect(await get('/workflows/123')).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect(await get('/assets/missing.js')).toMatchObject({ status: 404 });
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%5csecret.txt', '/assets/%00.js', '/%E0%A4%A.js']) {
      const r = await get(path);
      expect([400, 404]).toContain(r.status);
      expect(r.body).not.toContain('do not serve me');
    }
  });

  it('refuses another Host (DNS rebinding)', async () => {
    expect(await get('/', `evil.example:${fx.server.port}`)).toMatchObject({ status: 421 });
    expect(await get('/', `localhost:${fx.server.port}`)).toMatchObject({ status: 421 });
  });
});

