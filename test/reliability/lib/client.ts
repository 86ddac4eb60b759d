// A WebSocket client as a user's would be: token in the URL, the server's Origin, JSON requests.
// It records every answer the server acknowledged and every pushed event and workflow, and lets
// a scenario wait on real messages (a push, an answer) with a deadline instead of sleeping.
import WebSocket from 'ws';
import type { ErrorBody } from '../../../src/shared/contract';
import type { Workflow } from '../../../src/shared/domain';
import type { WorkflowEvent } from '../../../src/shared/events';

export type Answer =
  | { ok: true; result: unknown }
  | { ok: false; error: ErrorBody }
  /** No answer: the connection closed or the deadline passed. Not acknowledged. */
  | { ok: false; lost: string };

export interface Ack {
  client: string;
  method: string;
  params: unknown;
  answer: Answer & { ok: boolean };
  sentAt: number;
  answeredAt: number;
}

export interface Endpoint {
  port: number;
  token: string;
}

interface Waiter {
  test: () => boolean;
  resolve: () => void;
}

export class Client {
  /** Answers received (success or error): what the server acknowledged to this client. */
  readonly acks: Ack[] = [];
  /** Pushed events, by workflow, by sequence. */
  readonly events = new Map<string, Map<number, WorkflowEvent>>();
  /** Every workflow push, in arrival order. */
  readonly workflowPushes: Workflow[] = [];
  /** The latest pushed state of each workflow. */
  readonly latest = new Map<string, Workflow>();
  /** Messages received (answers and pushes); scenarios trigger faults after N of them. */
  received = 0;
  /** Pushes received (events and workflow changes). */
  pushes = 0;
  /** Answers that match no pending call (raw frames sent with sendRaw), in arrival order. */
  readonly unmatched: Record<string, unknown>[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  isClosed = false;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (a: Answer) => void; method: string; params: unknown; sentAt: number }>();
  private waiters: Waiter[] = [];
  private readonly pushListeners: ((msg: { push: string; data: unknown }) => void)[] = [];

  private constructor(
    readonly ws: WebSocket,
    readonly name: string,
  ) {
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        this.isClosed = true;
        for (const [, p] of this.pending) p.resolve({ ok: false, lost: `connection closed (${code})` });
        this.pending.clear();
        this.wake();
        resolve({ code, reason: reason.toString() });
      }),
    );
    ws.on('error', () => undefined);
    ws.on('message', (data) => this.onMessage(data.toString()));
  }

  static connect(server: Endpoint, name = 'client', options: { token?: string; origin?: string | null; timeoutMs?: number } = {}): Promise<Client> {
    const token = options.token ?? server.token;
    const origin = options.origin === undefined ? `http://127.0.0.1:${server.port}` : options.origin;
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${encodeURIComponent(token)}`, {
      headers: origin === null ? {} : { Origin: origin },
      perMessageDeflate: false,
      handshakeTimeout: options.timeoutMs ?? 10_000,
    });
    const client = new Client(ws, name);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', (e) => reject(e));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
    });
  }

  private onMessage(text: string): void {
    this.received++;
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    if (typeof msg.push === 'string') {
      this.pushes++;
      if (msg.push === 'events') {
        const data = msg.data as { workflowId: string; events: WorkflowEvent[] };
        let m = this.events.get(data.workflowId);
        if (!m) this.events.set(data.workflowId, (m = new Map()));
        for (const e of data.events) m.set(e.sequence, e);
      } else if (msg.push === 'workflow') {
        const w = msg.data as Workflow;
        this.workflowPushes.push(w);
        this.latest.set(w.id, w);
      }
      for (const l of this.pushListeners) l(msg as { push: string; data: unknown });
    } else if (typeof msg.id === 'number' && this.pending.has(msg.id)) {
      const p = this.pending.get(msg.id)!;
      this.pending.delete(msg.id);
      const answer: Answer = 'error' in msg ? { ok: false, error: msg.error as ErrorBody } : { ok: true, result: msg.result };
      this.acks.push({ client: this.name, method: p.method, params: p.params, answer, sentAt: p.sentAt, answeredAt: Date.now() });
      p.resolve(answer);
    } else {
      this.unmatched.push(msg);
    }
    this.wake();
  }

  /** Calls sent and not answered yet. */
  get inFlight(): number {
    return this.pending.size;
  }

  onPush(fn: (msg: { push: string; data: unknown }) => void): void {
    this.pushListeners.push(fn);
  }

  private wake(): void {
    if (this.waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.test()) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }

  /** Resolves true once `test()` holds (checked at each message), false at the deadline or on close. */
  waitFor(test: () => boolean, timeoutMs: number): Promise<boolean> {
    if (test()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(test());
      }, timeoutMs);
      const waiter: Waiter = {
        test: () => this.isClosed || test(),
        resolve: () => {
          clearTimeout(timer);
          resolve(test());
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Waits for a workflow push that satisfies `test`. */
  async waitWorkflow(workflowId: string, test: (w: Workflow) => boolean, timeoutMs: number): Promise<Workflow | null> {
    const ok = await this.waitFor(() => {
      const w = this.latest.get(workflowId);
      return w !== undefined && test(w);
    }, timeoutMs);
    return ok ? this.latest.get(workflowId)! : null;
  }

  /** Waits for a pushed event of the workflow that satisfies `test`. */
  async waitEvent(workflowId: string, test: (e: WorkflowEvent) => boolean, timeoutMs: number): Promise<WorkflowEvent | null> {
    const find = () => [...(this.events.get(workflowId)?.values() ?? [])].find(test);
    const ok = await this.waitFor(() => find() !== undefined, timeoutMs);
    return ok ? find()! : null;
  }

  call(method: string, params?: unknown, timeoutMs = 30_000): Promise<Answer> {
    if (this.isClosed || this.ws.readyState !== WebSocket.OPEN) return Promise.resolve({ ok: false, lost: 'not connected' });
    const id = this.nextId++;
    return new Promise<Answer>((resolve) => {
      const timer = setTimeout(() => {
        if (this.pending.delete(id)) resolve({ ok: false, lost: `no answer within ${timeoutMs} ms` });
      }, timeoutMs);
      this.pending.set(id, {
        method,
        params,
        sentAt: Date.now(),
        resolve: (a) => {
          clearTimeout(timer);
          resolve(a);
        },
      });
      this.ws.send(JSON.stringify(params === undefined ? { id, method } : { id, method, params }));
    });
  }

  /** A call that must succeed: its result, or an exception naming the error. */
  async must<T = unknown>(method: string, params?: unknown, timeoutMs?: number): Promise<T> {
    const a = await this.call(method, params, timeoutMs);
    if (a.ok) return a.result as T;
    throw new Error(`${method} failed: ${'error' in a ? `${a.error.code} ${a.error.message}` : a.lost}`);
  }

  /** Sends a raw text frame (hostile input); the answer, if any, arrives as an unmatched message. */
  sendRaw(data: string | Buffer, binary = false): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data, { binary });
  }

  close(): Promise<unknown> {
    if (this.isClosed) return Promise.resolve();
    this.ws.close(1000);
    const t = setTimeout(() => this.ws.terminate(), 2000);
    return this.closed.finally(() => clearTimeout(t));
  }
}

export function errorCode(a: Answer): string | null {
  return !a.ok && 'error' in a ? a.error.code : null;
}

/** The promise's value, or null if it has not settled within `ms` (the timer is cleared either way). */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<null>((r) => (timer = setTimeout(() => r(null), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
