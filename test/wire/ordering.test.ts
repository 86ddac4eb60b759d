// docs/design.md §1 rule 3 and §4.1 across the wire: 20 concurrent emitters on 5 workflows; the client
// receives every event once, in order, with no gap — and a forced disconnect in the middle of
// the stream is repaired by followEvents' gap filler.
import WebSocket from 'ws';
import { afterEach, expect, it } from 'vitest';
import type { WorkflowEvent } from '../../src/shared/events';
import { createWebSocketClient, type SocketLike, type WebSocketClient } from '../../src/renderer/src/client';
import { startFixture, type ServerFixture } from './helpers';

let fx: ServerFixture;
let client: WebSocketClient | undefined;
afterEach(async () => {
  client?.close();
  await fx?.close();
});

const EMITTERS = 20;
const WORKFLOWS = 5;
const PER_EMITTER = 40;

async function setup(opts: { redirect?: (url: string) => string } = {}) {
  fx = await startFixture();
  const ids: string[] = [];
  for (let i = 0; i < WORKFLOWS; i++) {
    const w = await fx.h.orch.start({ worktreePath: fx.h.worktree(`w${i}`), issueId: `I-${i}` });
    await fx.h.waitFor(w.id, 'blocked');
    ids.push(w.id);
  }
  const states: string[] = [];
  client = createWebSocketClient({
    url: `ws://127.0.0.1:${fx.server.port}/ws?token=${fx.server.token}`,
    createSocket: (url) => new WebSocket(opts.redirect ? opts.redirect(url) : url, { origin: fx.server.origin }) as unknown as SocketLike,
    backoffInitialMs: 5,
    backoffMaxMs: 50,
  });
  client.onConnection((s) => states.push(s));
  return { ids, states, client };
}

/** Follows every workflow from sequence 0; resolves `caughtUp(id, n)` once n events arrived. */
function followAll(c: WebSocketClient, ids: string[]) {
  const got = new Map<string, WorkflowEvent[]>(ids.map((id) => [id, []]));
  const waiters: { id: string; n: number; resolve: () => void }[] = [];
  const offs = ids.map((id) =>
    c.followEvents(id, 0, (events) => {
      got.get(id)!.push(...events);
      for (const w of [...waiters]) {
        if (w.id === id && got.get(id)!.length >= w.n) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    }),
  );
  const caughtUp = (id: string, n: number) =>
    got.get(id)!.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ id, n, resolve }));
  return { got, caughtUp, stop: () => offs.forEach((off) => off()) };
}

async function emitConcurrently(ids: string[]): Promise<void> {
  await Promise.all(
    Array.from({ length: EMITTERS }, async (_v, e) => {
      const workflowId = ids[e % ids.length]!;
      for (let i = 0; i < PER_EMITTER; i++) {
        await fx.h.orch.emit(workflowId, { agent: 'developer', type: 'agent_output', message: `emitter ${e} line ${i}` });
      }
    }),
  );
}

function expectEqualsDatabase(got: Map<string, WorkflowEvent[]>): void {
  for (const [id, events] of got) {
    const db = fx.h.orch.listEvents({ workflowId: id, limit: 5000 });
    expect(events.map((e) => e.sequence)).toEqual(db.map((_e, i) => i + 1));
    expect(events).toEqual(db);
  }
}

it('20 concurrent emitters on 5 workflows: every event once, in order, no gap (pushes and followEvents)', async () => {
  const { ids, client: c } = await setup();
  const raw = new Map<string, number[]>(ids.map((id) => [id, []]));
  c.onEvents((id, events) => raw.get(id)?.push(...events.map((e) => e.sequence)));
  const f = followAll(c, ids);
  const start = new Map(ids.map((id) => [id, fx.h.orch.lastSequence(id)]));
  // Wait until the history is loaded, so that everything after it arrives as pushes.
  await Promise.all(ids.map((id) => f.caughtUp(id, start.get(id)!)));
  await emitConcurrently(ids);
  const perWorkflow = (EMITTERS / WORKFLOWS) * PER_EMITTER;
  await Promise.all(ids.map((id) => f.caughtUp(id, start.get(id)! + perWorkflow)));
  expectEqualsDatabase(f.got);
  for (const id of ids) {
    // The raw pushes: exactly the new events, once each, in order.
    const s = start.get(id)!;
    expect(raw.get(id)!.filter((q) => q > s)).toEqual(Array.from({ length: perWorkflow }, (_v, i) => s + i + 1));
  }
  f.stop();
});

it('a forced disconnect mid-stream is repaired by the gap filler', async () => {
  let cutOff = false;
  const { ids, states, client: c } = await setup({
    // While cut off, reconnect attempts go to a closed port and fail; then the real server again.
    redirect: (url) => (cutOff ? 'ws://127.0.0.1:1/ws' : url),
  });
  const raw = new Map<string, number[]>(ids.map((id) => [id, []]));
  c.onEvents((id, events) => raw.get(id)?.push(...events.map((e) => e.sequence)));
  const f = followAll(c, ids);
  const start = new Map(ids.map((id) => [id, fx.h.orch.lastSequence(id)]));
  await Promise.all(ids.map((id) => f.caughtUp(id, start.get(id)!)));

  // The first half of the stream arrives live.
  await emitConcurrently(ids);
  const half = new Map(ids.map((id) => [id, fx.h.orch.lastSequence(id)]));
  await Promise.all(ids.map((id) => f.caughtUp(id, half.get(id)!)));

  // Cut the client off on the server side; the second half is pushed while it is away.
  cutOff = true;
  const away = new Promise<void>((resolve) => {
    const off = c.onConnection((s) => s === 'reconnecting' && (off(), resolve()));
  });
  for (const ws of fx.server.ws.clients) ws.terminate();
  await away;
  // Every event of the second half must have been pushed (to nobody) before the client returns.
  // The targets are only known once all emits are committed: checking earlier could match a
  // moment between batches and let the last pushes arrive after the reconnect.
  const pushedEnd = new Map<string, number>();
  let targets: Map<string, number> | null = null;
  let allPushed!: () => void;
  const pushed = new Promise<void>((resolve) => (allPushed = resolve));
  const check = () => {
    if (targets && ids.every((id) => (pushedEnd.get(id) ?? 0) >= targets!.get(id)!)) {
      off();
      allPushed();
    }
  };
  const off = fx.server.hub.add((p) => {
    if (p.push !== 'events') return;
    pushedEnd.set(p.data.workflowId, p.data.events.at(-1)!.sequence);
    check();
  });
  await emitConcurrently(ids);
  targets = new Map(ids.map((id) => [id, fx.h.orch.lastSequence(id)]));
  check();
  await pushed;
  cutOff = false;

  await Promise.all(ids.map((id) => f.caughtUp(id, fx.h.orch.lastSequence(id))));
  expectEqualsDatabase(f.got);
  expect(states).toContain('reconnecting');
  expect(states.at(-1)).toBe('open');
  // The raw stream really has the gap that followEvents repaired.
  for (const id of ids) {
    expect(raw.get(id)!.filter((q) => q > half.get(id)!)).toEqual([]);
  }
  f.stop();
});
