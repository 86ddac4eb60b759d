// The Electron binding and the preload, with fakes of ipcMain, webContents, contextBridge and
// ipcRenderer wired together in memory: renderer client -> preload -> "IPC" -> handler table.
import { afterEach, describe, expect, it } from 'vitest';
import type { SwitchyardBridge } from '../../src/shared/bridge';
import type { Push } from '../../src/shared/contract';
import { METHOD_NAMES, NAVIGATE_CHANNEL, PUSH_CHANNEL, channelOf } from '../../src/shared/methods';
import { makeHarness, type Harness } from '../../src/main/core/testing/harness';
import { bindIpc, rendererOriginCheck, type FrameLike, type InvokeEventLike, type IpcBinding, type WebContentsLike } from '../../src/main/transport/ipcBinding';
import { buildBridge, exposeBridge } from '../../src/preload/bridge';
import { ClientError, createIpcClient } from '../../src/renderer/src/client';

const APP_URL = 'file:///app/out/renderer/index.html';

class FakeIpcMain {
  readonly handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown) {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
}

class FakeWebContents implements WebContentsLike {
  readonly sent: [string, unknown][] = [];
  readonly mainFrame: FrameLike;
  destroyed = false;
  onSend: ((channel: string, arg: unknown) => void) | null = null;
  constructor(url = APP_URL) {
    this.mainFrame = { url, parent: null };
  }
  send(channel: string, arg: unknown) {
    this.sent.push([channel, arg]);
    this.onSend?.(channel, arg);
  }
  isDestroyed() {
    return this.destroyed;
  }
}

/** An ipcRenderer for one webContents/frame, talking to the fake ipcMain. */
function fakeIpcRenderer(ipcMain: FakeIpcMain, wc: FakeWebContents, frame: FrameLike | null = wc.mainFrame) {
  const listeners = new Map<string, ((event: unknown, ...args: unknown[]) => void)[]>();
  wc.onSend = (channel, arg) => listeners.get(channel)?.forEach((l) => l({ sender: 'ipcRenderer' }, structuredClone(arg)));
  return {
    invoked: [] as string[],
    async invoke(channel: string, ...args: unknown[]) {
      this.invoked.push(channel);
      const handler = ipcMain.handlers.get(channel);
      if (!handler) throw new Error(`Error invoking remote method '${channel}': No handler registered`);
      // Electron clones arguments and results (structured clone).
      return structuredClone(await handler({ sender: wc, senderFrame: frame }, ...args.map((a) => structuredClone(a))));
    },
    on(channel: string, listener: (event: unknown, ...args: unknown[]) => void) {
      listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
      return this;
    },
  };
}

let h: Harness;
let binding: IpcBinding | undefined;
afterEach(async () => {
  binding?.dispose();
  await h?.cleanup();
});

function setup() {
  h = makeHarness();
  const ipcMain = new FakeIpcMain();
  const wc = new FakeWebContents();
  const refused: string[] = [];
  binding = bindIpc({
    ipcMain,
    core: { orchestrator: h.orch },
    getWebContents: () => wc,
    isTrustedOrigin: rendererOriginCheck({ rendererFile: '/app/out/renderer/index.html' }),
    onRefused: (_c, why) => refused.push(why),
  });
  return { ipcMain, wc, refused };
}

describe('bindIpc', () => {
  it('registers exactly one handler per contract method, on switchyard:<method>, and removes them on dispose', () => {
    const { ipcMain } = setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(METHOD_NAMES.map((m) => `switchyard:${m}`).sort());
    binding!.dispose();
    binding = undefined;
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('accepts calls only from the window main frame at the app origin', async () => {
    const { ipcMain, wc, refused } = setup();
    const call = (event: InvokeEventLike) => ipcMain.handlers.get(channelOf('settings.set'))!(event, { maxConcurrent: 9 });
    const other = new FakeWebContents();
    const cases: [string, InvokeEventLike][] = [
      ['another webContents', { sender: other, senderFrame: other.mainFrame }],
      ['a subframe', { sender: wc, senderFrame: { url: APP_URL, parent: wc.mainFrame } }],
      ['no sender frame', { sender: wc, senderFrame: null }],
      ['an untrusted origin', { sender: wc, senderFrame: { url: 'https://evil.example/', parent: null } }],
      ['another file', { sender: wc, senderFrame: { url: 'file:///tmp/evil.html', parent: null } }],
    ];
    for (const [, event] of cases) {
      expect(await call(event)).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    }
    expect(refused).toHaveLength(cases.length);
    expect(h.orch.settings().maxConcurrent).toBe(5);
    wc.destroyed = true;
    expect(await call({ sender: wc, senderFrame: wc.mainFrame })).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    wc.destroyed = false;
    expect(await call({ sender: wc, senderFrame: wc.mainFrame })).toMatchObject({ result: { maxConcurrent: 9 } });
  });

  it('parses params (INVALID_INPUT), maps errors, and refuses extra arguments', async () => {
    const { ipcMain, wc } = setup();
    const ev = { sender: wc, senderFrame: wc.mainFrame };
    expect(await ipcMain.handlers.get(channelOf('workflows.get'))!(ev, { workflowId: 5 })).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    expect(await ipcMain.handlers.get(channelOf('workflows.get'))!(ev, { workflowId: 'nope' })).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(await ipcMain.handlers.get(channelOf('workflows.active'))!(ev, {}, 'extra')).toMatchObject({ error: { code: 'INVALID_INPUT' } });
  });

  it('dev server origin check', () => {
    const check = rendererOriginCheck({ rendererUrl: 'http://localhost:5173/' });
    expect(check('http://localhost:5173/index.html')).toBe(true);
    expect(check('http://localhost:5174/')).toBe(false);
    expect(check('file:///app/index.html')).toBe(false);
    expect(check('not a url')).toBe(false);
  });
});

describe('preload', () => {
  it('exposes window.switchyard with one function per method and subscribe, nothing else', () => {
    h = makeHarness();
    const exposed: Record<string, unknown> = {};
    const ipcMain = new FakeIpcMain();
    exposeBridge({ exposeInMainWorld: (key, api) => (exposed[key] = api) }, fakeIpcRenderer(ipcMain, new FakeWebContents()));
    expect(Object.keys(exposed)).toEqual(['switchyard']);
    const api = exposed.switchyard as Record<string, Record<string, unknown>>;
    const names = Object.entries(api).flatMap(([g, v]) => (typeof v === 'function' ? [g] : Object.keys(v).map((n) => `${g}.${n}`)));
    expect(names.sort()).toEqual([...METHOD_NAMES, 'onNavigate', 'subscribe'].sort());
    for (const [g, v] of Object.entries(api)) {
      if (g !== 'subscribe' && g !== 'onNavigate') for (const fn of Object.values(v)) expect(typeof fn).toBe('function');
    }
    expect(api).not.toHaveProperty('invoke');
    expect(api).not.toHaveProperty('ipcRenderer');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('passes the shell\'s "open this workflow" messages to the window, dropping malformed ones', () => {
    h = makeHarness();
    const wc = new FakeWebContents();
    const bridge = buildBridge(fakeIpcRenderer(new FakeIpcMain(), wc));
    const opened: string[] = [];
    const off = bridge.onNavigate((id) => opened.push(id));
    for (const message of [{ workflowId: 'w-1' }, { workflowId: 42 }, null, 'w-2', { workflowId: '' }, { workflowId: 'x'.repeat(500) }, { workflowId: 'w-3' }]) {
      wc.send(NAVIGATE_CHANNEL, message);
    }
    expect(opened).toEqual(['w-1', 'w-3']);
    off();
    wc.send(NAVIGATE_CHANNEL, { workflowId: 'w-4' });
    expect(opened).toEqual(['w-1', 'w-3']);
    expect(() => bridge.onNavigate('not a function' as never)).toThrow(TypeError);
  });

  it('end to end: client -> preload -> IPC -> core, with pushes, errors and followEvents', async () => {
    const { ipcMain, wc } = setup();
    const renderer = fakeIpcRenderer(ipcMain, wc);
    const bridge: SwitchyardBridge = buildBridge(renderer);
    const client = createIpcClient(bridge);
    expect(client.kind).toBe('ipc');
    expect(client.connection()).toBe('open');

    const pushes: Push[] = [];
    const unsubscribe = bridge.subscribe((p) => pushes.push(p));
    const statuses: string[] = [];
    const blocked = new Promise<void>((resolve) =>
      client.onWorkflow((w) => {
        statuses.push(w.status);
        if (w.status === 'blocked') resolve();
      }),
    );
    const followed: number[] = [];

    const w = await client.call('workflows.start', { worktreePath: h.worktree('a'), issueId: 'IPC-1' });
    expect(renderer.invoked).toEqual([`switchyard:workflows.start`]);
    const off = client.followEvents(w.id, 0, (events) => followed.push(...events.map((e) => e.sequence)));
    await blocked;
    expect(statuses[0]).toBe('pending');
    expect(statuses).toContain('in_progress');
    expect(statuses.at(-1)).toBe('blocked');
    const last = h.orch.lastSequence(w.id);
    await new Promise<void>((resolve) => {
      const check = () => (followed.at(-1) === last ? resolve() : undefined);
      client.onEvents(check);
      check();
    });
    expect(followed).toEqual(Array.from({ length: last }, (_v, i) => i + 1));
    expect(pushes.some((p) => p.push === 'workflow' && p.data.id === w.id)).toBe(true);
    expect(wc.sent.every(([ch]) => ch === PUSH_CHANNEL)).toBe(true);

    const err = await client.call('workflows.approve', { workflowId: 'missing' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientError);
    expect(err).toMatchObject({ code: 'NOT_FOUND', details: { workflowId: 'missing' } });
    const bad = await client.call('workflows.get', { workflowId: 42 } as never).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'INVALID_INPUT' });

    unsubscribe();
    const count = pushes.length;
    await client.call('workflows.cancel', { workflowId: w.id });
    expect(pushes.length).toBe(count);
    off();
  });

  it('a missing handler in main becomes an INTERNAL reply, not a throw', async () => {
    h = makeHarness();
    const bridge = buildBridge(fakeIpcRenderer(new FakeIpcMain(), new FakeWebContents()));
    expect(await bridge.settings.get({})).toMatchObject({ error: { code: 'INTERNAL', message: expect.stringContaining('settings.get') } });
  });
});
