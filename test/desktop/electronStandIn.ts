// A stand-in for the `electron` module, for the desktop-shell wiring test only (no Electron binary
// can start on the machines that run `npm test`). It implements the members the built main bundle
// and the built preload use, each typed as a `Pick` of Electron 45's own declarations
// (node_modules/electron/electron.d.ts): rename or reshape a member there and this file stops
// compiling. It records what the app does and lets the test act as the user and the OS (menu
// clicks, shortcuts, notification clicks, quit, a second instance). It mimics Electron where the
// shell depends on it: whenReady, before-quit's preventDefault, web-contents-created, loadFile's
// file: URL and missing-file failure, running the window's preload as a sandboxed CommonJS script,
// ipcMain.handle's "no handler" error and structured cloning, and the single-instance lock.
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { compileFunction, runInNewContext } from 'node:vm';
import type {
  App,
  BrowserWindow as ElectronBrowserWindow,
  BrowserWindowConstructorOptions,
  ContextBridge,
  Dialog,
  GlobalShortcut,
  HandlerDetails,
  HeadersReceivedResponse,
  IpcMain,
  IpcMainInvokeEvent,
  IpcRenderer,
  IpcRendererEvent,
  Menu as ElectronMenu,
  MenuItem as ElectronMenuItem,
  MenuItemConstructorOptions,
  MessageBoxOptions,
  MessageBoxReturnValue,
  NativeImage as ElectronNativeImage,
  Notification as ElectronNotification,
  NotificationConstructorOptions,
  OnHeadersReceivedListenerDetails,
  Session,
  Shell,
  Tray as ElectronTray,
  WebContents as ElectronWebContents,
  WebFrameMain,
  WebRequest,
  WindowOpenHandlerResponse,
} from 'electron';
import type * as ElectronModule from 'electron';

/** Names the built bundles may import from "electron"; each must be a real export (compile-time). */
export const MAIN_EXPORTS = ['app', 'BrowserWindow', 'Menu', 'MenuItem', 'Notification', 'Tray', 'dialog', 'globalShortcut', 'ipcMain', 'nativeImage', 'session', 'shell'] as const;
export const RENDERER_EXPORTS = ['contextBridge', 'ipcRenderer'] as const;
type ExportName = keyof typeof ElectronModule;
const _exportsAreReal: readonly ExportName[] = [...MAIN_EXPORTS, ...RENDERER_EXPORTS];
// The members of the plain-object exports below, checked the same way.
const _nativeImageMembers: readonly (keyof typeof ElectronModule.nativeImage)[] = ['createEmpty', 'createFromBuffer'];
const _sessionMembers: readonly (keyof typeof ElectronModule.session)[] = ['defaultSession'];
const _defaultSessionMembers: readonly (keyof Session)[] = ['webRequest', 'setPermissionRequestHandler', 'setPermissionCheckHandler'];
void [_exportsAreReal, _nativeImageMembers, _sessionMembers, _defaultSessionMembers];

/** One thing the app did, in order. */
export interface Call {
  api: string;
  args: unknown[];
}

/** Electron's event object for preventable events (before-quit, will-navigate, close). */
export class PreventableEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

/** Locks held by running stand-in apps, by userData folder (Chromium's process singleton). */
const singletonLocks = new Map<string, StandInApp>();

export class StandInApp extends EventEmitter implements Pick<App, 'whenReady' | 'quit' | 'exit' | 'getPath' | 'setPath' | 'requestSingleInstanceLock' | 'enableSandbox' | 'isReady'> {
  private readyResolve!: () => void;
  private readonly ready = new Promise<void>((r) => (this.readyResolve = r));
  private isReadyNow = false;
  private readonly paths = new Map<string, string>();
  private lockedDir: string | null = null;
  sandboxEnabled = false;
  /** The code passed to app.exit, once it was called. */
  exitCode: number | null = null;
  readonly exited: Promise<number>;
  private exitResolve!: (code: number) => void;

  constructor(private readonly electron: StandInElectron) {
    super();
    this.exited = new Promise((r) => (this.exitResolve = r));
  }

  whenReady(): Promise<void> {
    return this.ready;
  }
  isReady(): boolean {
    return this.isReadyNow;
  }
  /** The test: Electron finished initialising. */
  fireReady(): void {
    if (this.isReadyNow) return;
    this.isReadyNow = true;
    this.electron.record('app.ready', []);
    this.emit('ready', new PreventableEvent(), {});
    this.readyResolve();
  }
  getPath(name: Parameters<App['getPath']>[0]): string {
    const path = this.paths.get(name);
    if (!path) throw new Error(`stand-in: app.getPath('${name}') has no value (the test sets userData)`);
    return path;
  }
  setPath(name: Parameters<App['setPath']>[0], path: string): void {
    this.electron.record('app.setPath', [name, path]);
    this.paths.set(name, path);
  }
  enableSandbox(): void {
    if (this.isReadyNow) throw new Error('app.enableSandbox() can only be called before app is ready');
    this.electron.record('app.enableSandbox', []);
    this.sandboxEnabled = true;
  }
  /** Chromium's singleton: per userData folder; the loser's arguments reach the winner. */
  requestSingleInstanceLock(additionalData?: Record<string, unknown>): boolean {
    const dir = this.getPath('userData');
    this.electron.record('app.requestSingleInstanceLock', [dir]);
    const holder = singletonLocks.get(dir);
    if (holder && holder !== this && holder.exitCode === null) {
      queueMicrotask(() => holder.emit('second-instance', new PreventableEvent(), ['switchyard'], process.cwd(), additionalData ?? {}));
      return false;
    }
    singletonLocks.set(dir, this);
    this.lockedDir = dir;
    return true;
  }
  /** The last window closed: without a listener, Electron's default is to quit. */
  fireWindowAllClosed(): void {
    if (this.listenerCount('window-all-closed') === 0) this.quit();
    else this.emit('window-all-closed');
  }

  /** Like Electron: before-quit (preventable), then will-quit (preventable), then the exit. */
  quit(): void {
    this.electron.record('app.quit', []);
    const before = new PreventableEvent();
    this.emit('before-quit', before);
    if (before.defaultPrevented) return;
    const will = new PreventableEvent();
    this.emit('will-quit', will);
    if (will.defaultPrevented) return;
    this.exit(0);
  }
  exit(exitCode = 0): void {
    if (this.exitCode !== null) return;
    this.exitCode = exitCode;
    if (this.lockedDir && singletonLocks.get(this.lockedDir) === this) singletonLocks.delete(this.lockedDir);
    for (const w of [...this.electron.windows]) w.destroyForExit();
    this.exitResolve(exitCode);
    this.electron.record('app.exit', [exitCode]);
  }
}

export class StandInNativeImage implements Pick<ElectronNativeImage, 'addRepresentation' | 'isEmpty'> {
  readonly representations: { scaleFactor: number; buffer: Buffer }[] = [];
  addRepresentation(options: Parameters<ElectronNativeImage['addRepresentation']>[0]): void {
    if (!options.buffer) throw new Error('stand-in: addRepresentation without a buffer');
    this.representations.push({ scaleFactor: options.scaleFactor ?? 1, buffer: options.buffer });
  }
  isEmpty(): boolean {
    return this.representations.length === 0;
  }
}

export interface StandInFrame extends Pick<WebFrameMain, 'url'> {
  readonly parent: StandInFrame | null;
}

/** A webContents: its page (URL, preload), its IPC to and from the preload, and hardening hooks. */
export class StandInWebContents
  extends EventEmitter
  implements Pick<ElectronWebContents, 'send' | 'isDestroyed' | 'setWindowOpenHandler' | 'getURL' | 'loadFile' | 'loadURL'>
{
  private url = '';
  private destroyed = false;
  windowOpenHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | null = null;
  /** What the preload exposed with contextBridge (the page's `window.<key>`). */
  readonly mainWorld = new Map<string, unknown>();
  preloadError: Error | null = null;
  private readonly rendererListeners = new Map<string, ((event: IpcRendererEvent, ...args: unknown[]) => void)[]>();
  /** Channels the preload invoked, in order. */
  readonly invokedChannels: string[] = [];

  constructor(
    private readonly electron: StandInElectron,
    readonly preload: string | undefined,
  ) {
    super();
  }

  get mainFrame(): StandInFrame {
    return { url: this.url, parent: null };
  }
  getURL(): string {
    return this.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
  }
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void {
    this.windowOpenHandler = handler;
  }

  /** Main -> renderer: structured-cloned to the preload's ipcRenderer.on listeners. */
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.electron.record('webContents.send', [channel, ...args]);
    const cloned = structuredClone(args);
    for (const l of this.rendererListeners.get(channel) ?? []) l(this.rendererEvent(), ...cloned);
  }

  loadFile(filePath: string): Promise<void> {
    return this.load(pathToFileURL(filePath).href, filePath);
  }
  loadURL(url: string): Promise<void> {
    return this.load(url, url.startsWith('file:') ? new URL(url).pathname : null);
  }

  /**
   * Loads a page as Electron would for what the shell needs: a missing file fails the load
   * (did-fail-load, rejected promise); otherwise the preload runs (sandboxed CommonJS), then
   * did-finish-load. A preload that cannot run is reported, and the page has no API.
   */
  private async load(url: string, filePath: string | null): Promise<void> {
    this.electron.record('webContents.load', [url]);
    await Promise.resolve();
    if (filePath !== null && !existsSync(filePath)) {
      this.emit('did-fail-load', new PreventableEvent(), -6, 'ERR_FILE_NOT_FOUND', url, true);
      throw new Error(`ERR_FILE_NOT_FOUND (-6) loading '${url}'`);
    }
    this.url = url;
    this.mainWorld.clear();
    this.runPreload();
    this.emit('dom-ready', new PreventableEvent());
    this.emit('did-finish-load', new PreventableEvent());
  }

  private runPreload(): void {
    this.preloadError = null;
    if (!this.preload) return;
    try {
      const source = readFileSync(this.preload, 'utf8');
      // A sandboxed preload is a classic script with a limited `require`: an ES module does not
      // even compile here (`import`/`export` are syntax errors), as it fails in Electron.
      const fn = compileFunction(source, ['require', 'module', 'exports', 'process', 'Buffer', 'global'], { filename: this.preload });
      const module = { exports: {} };
      fn(this.sandboxedRequire(), module, module.exports, { platform: process.platform, env: {} }, Buffer, {});
    } catch (e) {
      this.preloadError = e instanceof Error ? e : new Error(String(e));
      this.electron.record('preload.error', [this.preloadError.message]);
    }
  }

  /** What `require` gives a sandboxed preload: electron's renderer modules and a few built-ins. */
  private sandboxedRequire(): (id: string) => unknown {
    const nodeRequire = createRequire(import.meta.url);
    return (id: string) => {
      if (id === 'electron' || id === 'electron/renderer') return this.rendererModule();
      if (id === 'events' || id === 'timers' || id === 'url') return nodeRequire(`node:${id}`);
      throw new Error(`module not found: ${id}`);
    };
  }

  private rendererEvent(): IpcRendererEvent {
    return { sender: this.ipcRenderer, senderId: 0, ports: [] } as unknown as IpcRendererEvent;
  }

  private ipcRendererCache: Pick<IpcRenderer, 'invoke' | 'on'> | null = null;
  get ipcRenderer(): Pick<IpcRenderer, 'invoke' | 'on'> {
    return (this.ipcRendererCache ??= this.makeIpcRenderer());
  }

  private makeIpcRenderer(): Pick<IpcRenderer, 'invoke' | 'on'> {
    const ipc: Pick<IpcRenderer, 'invoke' | 'on'> = {
      invoke: (channel: string, ...args: unknown[]): Promise<unknown> => {
        this.invokedChannels.push(channel);
        return this.electron.ipcMain.dispatch(channel, { sender: this, senderFrame: this.mainFrame }, args);
      },
      on: (channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void) => {
        const list = this.rendererListeners.get(channel) ?? [];
        list.push(listener);
        this.rendererListeners.set(channel, list);
        return ipc as IpcRenderer;
      },
    };
    return ipc;
  }

  private rendererModule(): { contextBridge: Pick<ContextBridge, 'exposeInMainWorld'>; ipcRenderer: Pick<IpcRenderer, 'invoke' | 'on'> } {
    return {
      contextBridge: {
        exposeInMainWorld: (apiKey: string, api: unknown): void => {
          if (this.mainWorld.has(apiKey)) throw new Error(`Cannot bind an API on top of an existing property on the window object: ${apiKey}`);
          this.electron.record('contextBridge.exposeInMainWorld', [apiKey]);
          this.mainWorld.set(apiKey, api);
        },
      },
      ipcRenderer: this.ipcRenderer,
    };
  }
}

type StandInWindowMembers = 'show' | 'hide' | 'focus' | 'restore' | 'minimize' | 'isMinimized' | 'isVisible' | 'isFocused' | 'loadFile' | 'loadURL' | 'close' | 'isDestroyed';

export class StandInBrowserWindow extends EventEmitter implements Pick<ElectronBrowserWindow, StandInWindowMembers> {
  readonly webContents: StandInWebContents;
  private visible: boolean;
  private focused = false;
  private minimized = false;
  private destroyed = false;

  constructor(
    readonly options: BrowserWindowConstructorOptions,
    electron: StandInElectron,
  ) {
    super();
    electron.record('new BrowserWindow', [options]);
    this.webContents = new StandInWebContents(electron, options.webPreferences?.preload);
    this.visible = options.show ?? true;
    electron.windows.push(this);
    electron.app.emit('web-contents-created', new PreventableEvent(), this.webContents);
    this.webContents.once('did-finish-load', () => this.emit('ready-to-show', new PreventableEvent()));
  }

  loadFile(filePath: string): Promise<void> {
    return this.webContents.loadFile(filePath);
  }
  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url);
  }
  show(): void {
    this.visible = true;
    this.setFocused(true);
  }
  hide(): void {
    this.visible = false;
    this.setFocused(false);
  }
  focus(): void {
    if (this.visible && !this.minimized) this.setFocused(true);
  }
  /** The test: the user clicked another application. */
  blur(): void {
    this.setFocused(false);
  }
  minimize(): void {
    this.minimized = true;
    this.setFocused(false);
  }
  restore(): void {
    this.minimized = false;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isFocused(): boolean {
    return this.focused;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  private setFocused(focused: boolean): void {
    if (focused === this.focused) return;
    this.focused = focused;
    this.emit(focused ? 'focus' : 'blur', new PreventableEvent());
  }
  /** The close button: 'close' (preventable), then 'closed'. */
  close(): void {
    const event = new PreventableEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroyForExit();
  }
  destroyForExit(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.webContents.destroy();
    this.emit('closed');
  }
}

export class StandInMenuItem implements Pick<ElectronMenuItem, 'id' | 'label' | 'enabled' | 'accelerator'> {
  id: string;
  label: string;
  enabled: boolean;
  accelerator: string | null;
  readonly type: string;
  readonly role: string | undefined;
  readonly submenu: StandInMenu | undefined;
  private readonly onClick: MenuItemConstructorOptions['click'];

  constructor(options: MenuItemConstructorOptions) {
    this.id = options.id ?? '';
    this.label = options.label ?? '';
    this.enabled = options.enabled ?? true;
    this.accelerator = options.accelerator ?? null;
    this.type = options.type ?? (options.submenu ? 'submenu' : 'normal');
    this.role = options.role;
    this.onClick = options.click;
    this.submenu = options.submenu ? StandInMenu.buildFromTemplate(Array.isArray(options.submenu) ? options.submenu : []) : undefined;
  }

  /** The user clicked the item. Like a real menu, a disabled item does nothing. */
  click(): void {
    if (!this.enabled) throw new Error(`stand-in: the menu item "${this.label}" is disabled and cannot be clicked`);
    if (!this.onClick) throw new Error(`stand-in: the menu item "${this.label}" has no click handler`);
    this.onClick(this as unknown as ElectronMenuItem, undefined, { triggeredByAccelerator: false } as unknown as Parameters<NonNullable<MenuItemConstructorOptions['click']>>[2]);
  }
}

/** Menu (getMenuItemById returns the stand-in's items, so it is typed by hand, not picked). */
export class StandInMenu implements Pick<ElectronMenu, 'popup' | 'closePopup'> {
  static applicationMenu: StandInMenu | null = null;
  readonly items: StandInMenuItem[];
  protected constructor(template: readonly MenuItemConstructorOptions[]) {
    this.items = template.map((t) => new StandInMenuItem(t));
  }
  static buildFromTemplate(template: readonly MenuItemConstructorOptions[]): StandInMenu {
    return new StandInMenu(template);
  }
  popup(): void {
    throw new Error('stand-in: Menu.popup is not used by the shell');
  }
  closePopup(): void {}
  getMenuItemById(id: string): StandInMenuItem | null {
    for (const item of this.all()) if (item.id === id) return item;
    return null;
  }
  /** Every item, depth first (submenus included). */
  all(): StandInMenuItem[] {
    return this.items.flatMap((i) => [i, ...(i.submenu ? i.submenu.all() : [])]);
  }
}

export class StandInTray extends EventEmitter implements Pick<ElectronTray, 'setImage' | 'setToolTip' | 'destroy' | 'isDestroyed'> {
  image: StandInNativeImage;
  toolTip = '';
  contextMenu: StandInMenu | null = null;
  private destroyed = false;
  constructor(
    image: StandInNativeImage,
    private readonly electron: StandInElectron,
  ) {
    super();
    this.image = image;
    electron.record('new Tray', []);
    electron.trays.push(this);
  }
  setImage(image: ElectronNativeImage | string): void {
    if (!(image instanceof StandInNativeImage)) throw new Error('stand-in: the tray takes nativeImage objects from this module');
    this.image = image;
    this.electron.record('tray.setImage', []);
  }
  setToolTip(toolTip: string): void {
    this.toolTip = toolTip;
  }
  setContextMenu(menu: StandInMenu | null): void {
    this.contextMenu = menu;
    this.electron.record('tray.setContextMenu', []);
  }
  destroy(): void {
    this.destroyed = true;
    this.electron.record('tray.destroy', []);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

/**
 * A notification on screen. Like Electron's, the native side keeps only a weak reference to the
 * JS object (electron/electron#16922): if the app drops its own, a garbage collection before the
 * user clicks loses the click.
 */
export interface ShownNotification {
  title: string;
  body: string;
  silent: boolean;
  object: WeakRef<StandInNotification>;
}

export class StandInNotification extends EventEmitter implements Pick<ElectronNotification, 'show' | 'title' | 'body' | 'silent'> {
  title: string;
  body: string;
  silent: boolean;
  static isSupported(): boolean {
    return true;
  }
  constructor(
    options: NotificationConstructorOptions,
    private readonly electron: StandInElectron,
  ) {
    super();
    this.title = options.title ?? '';
    this.body = options.body ?? '';
    this.silent = options.silent ?? false;
  }
  show(): void {
    this.electron.notifications.push({ title: this.title, body: this.body, silent: this.silent, object: new WeakRef(this) });
    this.electron.record('notification.show', [this.title]);
  }
}

/** A message box the app opened, waiting for the test to click one of its buttons. */
export interface PendingMessageBox {
  options: MessageBoxOptions;
  window: StandInBrowserWindow | null;
  /** Clicks a button; resolves once the app's promise chains that awaited the answer have run. */
  clickButton(label: string): Promise<void>;
}

type Listener = (details: OnHeadersReceivedListenerDetails, callback: (response: HeadersReceivedResponse) => void) => void;

/** One instance of the stand-in module: every export, plus what the test observes and drives. */
export class StandInElectron extends EventEmitter {
  readonly calls: Call[] = [];
  readonly windows: StandInBrowserWindow[] = [];
  readonly trays: StandInTray[] = [];
  readonly notifications: ShownNotification[] = [];
  readonly shortcuts = new Map<string, () => void>();
  readonly messageBoxes: PendingMessageBox[] = [];
  readonly errorBoxes: { title: string; content: string }[] = [];
  readonly openedExternally: string[] = [];
  applicationMenu: StandInMenu | null = null;
  headersListener: Listener | null = null;
  permissionRequestHandler: Parameters<Session['setPermissionRequestHandler']>[0] = null;
  permissionCheckHandler: Parameters<Session['setPermissionCheckHandler']>[0] = null;
  /** Accelerators that "another application" holds: register() returns false for them. */
  readonly takenAccelerators = new Set<string>();

  readonly app = new StandInApp(this);

  readonly ipcMain = new StandInIpcMain(this);

  readonly dialog: Pick<Dialog, 'showErrorBox' | 'showMessageBox'> = {
    showErrorBox: (title: string, content: string) => {
      this.record('dialog.showErrorBox', [title, content]);
      this.errorBoxes.push({ title, content });
    },
    showMessageBox: ((a: StandInBrowserWindow | MessageBoxOptions, b?: MessageBoxOptions) => {
      const window = a instanceof StandInBrowserWindow ? a : null;
      const options = (window ? b : a) as MessageBoxOptions;
      this.record('dialog.showMessageBox', [options]);
      return new Promise<MessageBoxReturnValue>((resolve) => {
        const box: PendingMessageBox = {
          options,
          window,
          clickButton: (label) => {
            const response = options.buttons?.indexOf(label) ?? -1;
            if (response < 0) throw new Error(`stand-in: the message box has no button "${label}" (it has ${JSON.stringify(options.buttons)})`);
            this.messageBoxes.splice(this.messageBoxes.indexOf(box), 1);
            resolve({ response, checkboxChecked: false });
            // setImmediate runs after every microtask queued by the answer (the app's awaits).
            return new Promise<void>((done) => setImmediate(done));
          },
        };
        this.messageBoxes.push(box);
        this.emit('record');
      });
    }) as unknown as Dialog['showMessageBox'],
  };

  readonly globalShortcut: Pick<GlobalShortcut, 'register' | 'unregister' | 'isRegistered'> = {
    register: (accelerator: string, callback: () => void) => {
      this.record('globalShortcut.register', [accelerator]);
      if (!/^[A-Za-z0-9+]+$/.test(accelerator) || accelerator.split('+').some((p) => p === '')) throw new Error(`Failed to parse accelerator ${accelerator}`);
      if (this.takenAccelerators.has(accelerator) || this.shortcuts.has(accelerator)) return false;
      this.shortcuts.set(accelerator, callback);
      return true;
    },
    unregister: (accelerator: string) => {
      this.record('globalShortcut.unregister', [accelerator]);
      this.shortcuts.delete(accelerator);
    },
    isRegistered: (accelerator: string) => this.shortcuts.has(accelerator),
  };

  readonly nativeImage = {
    createEmpty: (): StandInNativeImage => new StandInNativeImage(),
    createFromBuffer: (buffer: Buffer): StandInNativeImage => {
      const image = new StandInNativeImage();
      image.addRepresentation({ scaleFactor: 1, buffer });
      return image;
    },
  };

  readonly session = {
    defaultSession: {
      webRequest: {
        onHeadersReceived: ((a: unknown, b?: unknown) => {
          this.headersListener = (typeof a === 'function' ? a : b) as Listener | null;
          this.record('session.webRequest.onHeadersReceived', []);
        }) as WebRequest['onHeadersReceived'],
      } satisfies Pick<WebRequest, 'onHeadersReceived'>,
      setPermissionRequestHandler: ((handler) => {
        this.permissionRequestHandler = handler;
      }) as Session['setPermissionRequestHandler'],
      setPermissionCheckHandler: ((handler) => {
        this.permissionCheckHandler = handler;
      }) as Session['setPermissionCheckHandler'],
    },
  };

  readonly shell: Pick<Shell, 'openExternal'> = {
    openExternal: async (url: string) => {
      this.record('shell.openExternal', [url]);
      this.openedExternally.push(url);
    },
  };

  /**
   * The user clicks a notification, some time after it appeared: a full garbage collection runs
   * first (as it would meanwhile), then the click reaches the JS object if it still exists.
   * Returns false when the click was lost.
   */
  async clickNotification(shown: ShownNotification): Promise<boolean> {
    await new Promise((r) => setImmediate(r)); // WeakRef targets are kept until the current job ends
    collectGarbage();
    const target = shown.object.deref();
    if (!target) return false;
    target.emit('click', new PreventableEvent());
    return true;
  }

  /**
   * The first message box the user can see: one without a parent, or whose parent window is
   * visible (attached to a hidden window — a sheet on macOS — it is not on screen).
   */
  visibleMessageBox(): PendingMessageBox | undefined {
    return this.messageBoxes.find((b) => b.window === null || b.window.isVisible());
  }

  record(api: string, args: unknown[]): void {
    this.calls.push({ api, args });
    this.emit('record');
  }

  /**
   * The module's namespace, as `import { … } from "electron"` sees it. The classes are bound to
   * this instance, so two apps (a second instance) never share windows, trays or menus.
   */
  exports(): Record<(typeof MAIN_EXPORTS)[number], unknown> {
    return boundExports(this);
  }

  /** Resolves once `check` returns a value other than undefined/false, re-checked on every recorded call. */
  waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
    return waitOn(this, 'record', what, check, timeoutMs);
  }
}

/** ipcMain: one handler per channel; invoke from a renderer is structured-cloned both ways. */
export class StandInIpcMain extends EventEmitter implements Pick<IpcMain, 'handle' | 'removeHandler'> {
  readonly handlers = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown>();
  constructor(private readonly electron: StandInElectron) {
    super();
  }
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.electron.record('ipcMain.handle', [channel]);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.electron.record('ipcMain.removeHandler', [channel]);
    this.handlers.delete(channel);
  }
  /** A renderer's invoke: the sender and the frame it came from are the test's to choose. */
  async dispatch(channel: string, from: { sender: StandInWebContents; senderFrame: StandInFrame | null }, args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    const event = { sender: from.sender, senderFrame: from.senderFrame, frameId: 1, processId: 1, type: 'frame', preventDefault() {}, defaultPrevented: false };
    const result = await handler(event as unknown as IpcMainInvokeEvent, ...structuredClone(args));
    return structuredClone(result);
  }
}

/** Resolves when `check` passes, re-checking on each `event` of `emitter`; rejects after timeoutMs. */
export function waitOn<T>(emitter: EventEmitter, event: string, what: string, check: () => T | undefined | false, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const test = (): boolean => {
      let value: T | undefined | false;
      try {
        value = check();
      } catch (e) {
        finish();
        reject(e instanceof Error ? e : new Error(String(e)));
        return true;
      }
      if (value === undefined || value === false) return false;
      finish();
      resolve(value);
      return true;
    };
    const onEvent = () => void test();
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      emitter.off(event, onEvent);
    };
    emitter.on(event, onEvent);
    test();
  });
}

/** The stand-in's exports with its classes bound to one instance (see StandInElectron.exports). */
function boundExports(electron: StandInElectron): Record<(typeof MAIN_EXPORTS)[number], unknown> {
  return {
    app: electron.app,
    BrowserWindow: class BrowserWindow extends StandInBrowserWindow {
      constructor(options: BrowserWindowConstructorOptions = {}) {
        super(options, electron);
      }
    },
    Menu: class Menu extends StandInMenu {
      static setApplicationMenu(menu: StandInMenu | null): void {
        electron.record('Menu.setApplicationMenu', []);
        electron.applicationMenu = menu;
      }
    },
    MenuItem: StandInMenuItem,
    Notification: class Notification extends StandInNotification {
      constructor(options: NotificationConstructorOptions = {}) {
        super(options, electron);
      }
    },
    Tray: class Tray extends StandInTray {
      constructor(image: StandInNativeImage) {
        super(image, electron);
      }
    },
    dialog: electron.dialog,
    globalShortcut: electron.globalShortcut,
    ipcMain: electron.ipcMain,
    nativeImage: electron.nativeImage,
    session: electron.session,
    shell: electron.shell,
  };
}

/** A full, synchronous garbage collection (V8's gc(), exposed at run time). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
