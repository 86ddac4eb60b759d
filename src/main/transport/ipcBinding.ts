// The contract over Electron IPC, as a plain module: Electron's objects come in as parameters
// (structural types below), so tests drive it with fakes and nothing here loads `electron`.
// One `ipcMain.handle` per contract method on `switchyard:<method>`; each call is accepted only
// from the app's own window, from its main frame, at a trusted origin (as VS Code's
// validatedIpcMain does); pushes go to that window with `webContents.send`.
import type { Reply } from '../../shared/bridge';
import { METHOD_NAMES, PUSH_CHANNEL, channelOf } from '../../shared/methods';
import { invoke, type DispatchOptions } from './dispatch';
import { createHandlers, type Handlers, type WireCore } from './handlers';
import { createPushHub, type PushHub } from './pushHub';

/** The parts of Electron's WebFrameMain, WebContents and IpcMainInvokeEvent used here. */
export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
}
export interface WebContentsLike {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}
export interface InvokeEventLike {
  readonly sender: WebContentsLike;
  readonly senderFrame: FrameLike | null;
}
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface BindIpcOptions extends DispatchOptions {
  ipcMain: IpcMainLike;
  core: WireCore;
  /** The window's webContents (null while there is none): the only accepted sender and the push target. */
  getWebContents: () => WebContentsLike | null;
  /** Whether a frame URL is the app's own page (see `rendererOriginCheck`). */
  isTrustedOrigin: (url: string) => boolean;
  /** Wraps the handler table (tests). */
  wrapHandlers?: (handlers: Handlers) => Handlers;
  /** Told of each refused call. */
  onRefused?: (channel: string, reason: string) => void;
}

export interface IpcBinding {
  readonly hub: PushHub;
  /** Removes the handlers and stops pushing. */
  dispose(): void;
}

/**
 * The origin check for the app's renderer: in development the dev server's origin
 * (ELECTRON_RENDERER_URL), in production the packaged `file:` page `rendererFile`.
 */
export function rendererOriginCheck(options: { rendererUrl?: string; rendererFile?: string }): (url: string) => boolean {
  if (options.rendererUrl) {
    const expected = new URL(options.rendererUrl).origin;
    return (url) => {
      try {
        return new URL(url).origin === expected;
      } catch {
        return false;
      }
    };
  }
  const file = options.rendererFile;
  return (url) => {
    try {
      const u = new URL(url);
      if (u.protocol !== 'file:') return false;
      return file === undefined || decodeURIComponent(u.pathname) === file;
    } catch {
      return false;
    }
  };
}

/** Why an IPC call is refused, or null when it comes from the app's own main frame. */
export function ipcRefusal(event: InvokeEventLike, expected: WebContentsLike | null, isTrustedOrigin: (url: string) => boolean): string | null {
  if (!expected || expected.isDestroyed()) return 'no window';
  if (event.sender !== expected) return 'another webContents';
  const frame = event.senderFrame;
  if (!frame) return 'no sender frame (it navigated away or was destroyed)';
  if (frame.parent !== null) return 'a subframe';
  if (!isTrustedOrigin(frame.url)) return 'an untrusted origin';
  return null;
}

export function bindIpc(options: BindIpcOptions): IpcBinding {
  const { ipcMain } = options;
  const handlers = (options.wrapHandlers ?? ((h) => h))(createHandlers(options.core));
  const hub = createPushHub(options.core.orchestrator.bus);

  for (const method of METHOD_NAMES) {
    const channel = channelOf(method);
    ipcMain.handle(channel, async (event, ...args): Promise<Reply<unknown>> => {
      const why = ipcRefusal(event, options.getWebContents(), options.isTrustedOrigin);
      if (why !== null) {
        options.onRefused?.(channel, why);
        return { error: { code: 'UNAUTHORIZED', message: `Refused ${method}: the call did not come from the Switchyard window (${why})` } };
      }
      if (args.length > 1) return { error: { code: 'INVALID_INPUT', message: `${method} takes one params object` } };
      return invoke(handlers, method, args[0], options);
    });
  }

  const removeSink = hub.add((push) => {
    const wc = options.getWebContents();
    if (wc && !wc.isDestroyed()) wc.send(PUSH_CHANNEL, push);
  });

  return {
    hub,
    dispose() {
      removeSink();
      hub.close();
      for (const method of METHOD_NAMES) ipcMain.removeHandler(channelOf(method));
    },
  };
}
