// The renderer's WebSocket client against the real server: waiting calls, timeouts, refusal,
// lost answers, and createClient's choice of transport.
import { createServer, type Socket } from 'node:net';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { SwitchyardBridge } from '../../src/shared/bridge';
import { ClientError, createClient, createWebSocketClient, type SocketLike, type WebSocketClient } from '../../src/renderer/src/client';
import type { Handlers } from '../../src/main/transport/handlers';
import { startFixture, type ServerFixture } from './helpers';

let fx: ServerFixture | undefined;
const clients: WebSocketClient[] = [];
afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await fx?.close();
  fx = undefined;
});

function connect(f: ServerFixture, opts: { token?: string; redirect?: () => string | null; connectTimeoutMs?: number } = {}) {
  const states: string[] = [];
  const c = createWebSocketClient({
    url: `ws://127.0.0.1:${f.server.port}/ws?token=${opts.token ?? f.server.token}`,
    createSocket: (url) => new WebSocket(opts.redirect?.() ?? url, { origin: f.server.origin }) as unknown as SocketLike,
    backoffInitialMs: 5,
    backoffMaxMs: 40,
    connectTimeoutMs: opts.connectTimeoutMs,
  });
  c.onConnection((s) => states.push(s));
  clients.push(c);
  return { c, states };
}

const whenState = (c: WebSocketClient, state: string) =>
  new Promise<void>((resolve) => {
    if (c.connection() === state) return resolve();
    const off = c.onConnection((s) => s === state && (off(), resolve()));
  });

describe('WebSocket client', () => {
  it('a call made while disconnected waits for the connection, then goes through', async () => {
    fx = await startFixture();
    let down = true;
    const { c, states } = connect(fx, { redirect: () => (down ? 'ws://127.0.0.1:1/ws' : null) });
    const answer = c.call('settings.get', {});
    await whenState(c, 'reconnecting');
    down = false;
    expect(await answer).toMatchObject({ maxConcurrent: 5 });
    expect(states).toEqual(expect.arrayContaining(['reconnecting', 'open']));
    expect(c.connection()).toBe('open');
  });

  it('a call fails with a clear error when no connection comes within the timeout', async () => {
    fx = await startFixture();
    const { c } = connect(fx, { redirect: () => 'ws://127.0.0.1:1/ws', connectTimeoutMs: 100 });
    const err = await c.call('workflows.active', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientError);
    expect(err).toMatchObject({ code: 'INTERNAL', details: { connection: 'timeout' }, message: expect.stringContaining('Not connected to Switchyard') });
  });

  it('closing while the socket is still connecting ends quietly (the abandoned socket\'s late error is absorbed)', async () => {
    // A server that accepts the TCP connection and never answers the upgrade keeps the socket CONNECTING.
    const held: Socket[] = [];
    const silent = createServer((sock) => void held.push(sock));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    let raw!: WebSocket;
    const accepted = new Promise<void>((r) => silent.once('connection', () => r()));
    const c = createWebSocketClient({
      url: `ws://127.0.0.1:${port}/ws?token=t`,
      createSocket: (url) => (raw = new WebSocket(url)) as unknown as SocketLike,
    });
    await accepted;
    expect(raw.readyState).toBe(WebSocket.CONNECTING);
    // `ws` reports the aborted handshake as an 'error' and then 'close'; an unheard error would throw
    // out of the event loop before 'close' comes.
    const closed = new Promise<void>((r) => raw.once('close', () => r()));
    c.close();
    await closed;
    expect(c.connection()).toBe('closed');
    held.forEach((s) => s.destroy());
    await new Promise<void>((r) => silent.close(() => r()));
  });

  it('a refused connection (wrong token) fails calls with UNAUTHORIZED and stops reconnecting', async () => {
    fx = await startFixture();
    const { c, states } = connect(fx, { token: 'wrong-token-0123456789' });
    const err = await c.call('workflows.active', {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(c.connection()).toBe('closed');
    // The upgrade itself completes (the refusal is a message), then the client closes for good.
    expect(states.at(-1)).toBe('closed');
    expect(states).not.toContain('reconnecting');
    await expect(c.call('settings.get', {})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(fx.reached).toEqual([]);
  });

  it('a call whose connection drops before the answer fails as lost; the client reconnects', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let arrived!: () => void;
    const reached = new Promise<void>((r) => (arrived = r));
    fx = await startFixture({
      wrapHandlers: (h: Handlers) => ({
        ...h,
        'workflows.active': async (p) => {
          arrived();
          await held;
          return h['workflows.active'](p);
        },
      }),
    });
    const { c } = connect(fx);
    const pending = c.call('workflows.active', {});
    await reached;
    for (const ws of fx.server.ws.clients) ws.terminate();
    await expect(pending).rejects.toMatchObject({ code: 'INTERNAL', details: { connection: 'lost' } });
    release();
    await whenState(c, 'open');
    expect(await c.call('workflows.active', {})).toEqual([]);
  });

  it('server errors arrive as ClientError with code and details', async () => {
    fx = await startFixture();
    const { c } = connect(fx);
    await expect(c.call('workflows.get', { workflowId: 'nope' })).rejects.toMatchObject({ name: 'ClientError', code: 'NOT_FOUND', details: { workflowId: 'nope' } });
    await expect(c.call('workflows.get', {} as never)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('workflowId') });
  });
});

describe('createClient', () => {
  const g = globalThis as Record<string, unknown>;
  afterEach(() => {
    delete g.switchyard;
    delete g.location;
    delete g.WebSocket;
  });

  it('uses window.switchyard when the preload provides it', () => {
    g.switchyard = { subscribe: () => () => {} } as unknown as SwitchyardBridge;
    expect(createClient().kind).toBe('ipc');
  });

  it('else the WebSocket at ws://<host>/ws with the page token', async () => {
    fx = await startFixture();
    const f = fx;
    const opened: string[] = [];
    g.location = { protocol: 'http:', host: `127.0.0.1:${f.server.port}`, search: `?token=${encodeURIComponent(f.server.token)}` };
    g.WebSocket = class extends WebSocket {
      constructor(url: string) {
        opened.push(url);
        super(url, { origin: f.server.origin });
      }
    };
    const c = createClient() as WebSocketClient;
    clients.push(c);
    expect(c.kind).toBe('websocket');
    expect(await c.call('workflows.active', {})).toEqual([]);
    expect(opened).toEqual([`ws://127.0.0.1:${f.server.port}/ws?token=${encodeURIComponent(f.server.token)}`]);
  });
});
