// Shared fixtures of the wire tests: an in-process server over a test harness, and a raw `ws`
// client that waits on real messages (no sleeps).
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { Response } from '../../src/shared/contract';
import type { Push } from '../../src/shared/contract';
import { makeHarness, type Harness } from '../../src/main/core/testing/harness';
import { startServer, type RunningServer, type ServerOptions } from '../../src/main/server/server';
import type { Handlers } from '../../src/main/transport/handlers';
import type { WireCore } from '../../src/main/transport/handlers';

export const TOKEN = 'test-token-0123456789abcdef';

export interface ServerFixture {
  h: Harness;
  server: RunningServer;
  staticDir: string;
  /** Calls that reached the handler table (after parsing), by method. */
  reached: string[];
  internalErrors: unknown[];
  refused: string[];
  close(): Promise<void>;
}

export async function startFixture(options: Partial<Omit<ServerOptions, 'core'>> & { core?: (h: Harness) => WireCore } = {}): Promise<ServerFixture> {
  const { core, ...extra } = options;
  const h = makeHarness();
  const staticDir = join(h.dir, 'renderer');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Switchyard</title>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(h.dir, 'secret.txt'), 'do not serve me');
  const reached: string[] = [];
  const internalErrors: unknown[] = [];
  const refused: string[] = [];
  const wrap = (handlers: Handlers): Handlers =>
    Object.fromEntries(
      Object.entries(handlers).map(([m, fn]) => [
        m,
        (p: never) => {
          reached.push(m);
          return (fn as (p: never) => unknown)(p);
        },
      ]),
    ) as unknown as Handlers;
  const server = await startServer({
    core: core ? core(h) : { orchestrator: h.orch },
    port: 0,
    token: TOKEN,
    staticDir,
    wrapHandlers: wrap,
    onInternalError: (_m, e) => internalErrors.push(e),
    onRefused: (r) => refused.push(r),
    ...extra,
  });
  return {
    h,
    server,
    staticDir,
    reached,
    internalErrors,
    refused,
    async close() {
      await server.close();
      await h.cleanup();
    },
  };
}

/** A raw WebSocket connection that queues every message it receives. */
export class RawClient {
  readonly messages: unknown[] = [];
  private waiters: { test: (m: unknown) => boolean; resolve: (m: unknown) => void }[] = [];
  private nextId = 1;
  closed: Promise<{ code: number; reason: string }>;
  readonly opened: Promise<void>;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const msg: unknown = JSON.parse(isBinary ? Buffer.from(data as Buffer).toString() : String(data));
      this.messages.push(msg);
      for (const w of [...this.waiters]) {
        if (w.test(msg)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(msg);
        }
      }
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
  }

  static async open(server: RunningServer, opts: { token?: string | null; origin?: string | null; path?: string } = {}): Promise<RawClient> {
    const token = opts.token === undefined ? server.token : opts.token;
    const url = `ws://127.0.0.1:${server.port}${opts.path ?? '/ws'}${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;
    const origin = opts.origin === undefined ? server.origin : opts.origin;
    const ws = new WebSocket(url, origin === null ? {} : { origin });
    const c = new RawClient(ws);
    await c.opened;
    return c;
  }

  /** Resolves with the first message (already received or coming) that passes `test`. */
  next(test: (m: unknown) => boolean): Promise<unknown> {
    const seen = this.messages.find(test);
    if (seen !== undefined) {
      this.messages.splice(this.messages.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve) => this.waiters.push({ test, resolve: (m) => {
      this.messages.splice(this.messages.indexOf(m), 1);
      resolve(m);
    } }));
  }

  /** Sends raw text and waits for the answer with that id (or id null when `id` is null). */
  /** `id` undefined: the next answer, whatever its id. */
  async sendRaw(text: string | Buffer, id: string | number | null | undefined, binary = false): Promise<Response> {
    const answer = this.next((m) => typeof m === 'object' && m !== null && 'id' in m && (id === undefined || (m as { id: unknown }).id === id) && !('push' in m));
    this.ws.send(text, { binary });
    return (await answer) as Response;
  }

  async call(method: string, params?: unknown): Promise<Response> {
    const id = this.nextId++;
    return this.sendRaw(JSON.stringify(params === undefined ? { id, method } : { id, method, params }), id);
  }

  /** The result of a call, or a thrown error with the answer's error body. */
  async ok<T = unknown>(method: string, params?: unknown): Promise<T> {
    const r = await this.call(method, params);
    if ('error' in r) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
    return r.result as T;
  }

  pushes(): Push[] {
    return this.messages.filter((m): m is Push => typeof m === 'object' && m !== null && 'push' in m);
  }

  close(): Promise<{ code: number; reason: string }> {
    this.ws.close();
    return this.closed;
  }
}

/** A digest of every row of every table of the database (the fuzz test's "unchanged"). */
export function databaseDigest(h: Harness): string {
  const db = h.storage.db;
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").all() as { name: string }[];
  const hash = createHash('sha256');
  for (const { name } of tables) {
    hash.update(`table ${name}\n`);
    for (const row of db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).iterate()) hash.update(JSON.stringify(row) + '\n');
  }
  return hash.digest('hex');
}
