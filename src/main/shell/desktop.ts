// The thin Electron layer of the desktop shell (docs/design.md §4.3). Every decision lives in the
// plain modules beside this file (tested in Node); this file only connects them to Electron:
// the window, the session's security, the tray, the menus, global shortcuts, notifications,
// single-instance and the quit flow.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  BrowserWindow,
  Menu,
  Notification,
  Tray,
  app,
  dialog,
  globalShortcut,
  nativeImage,
  session,
  shell,
  type NativeImage,
  type NotificationConstructorOptions,
  type WebContents,
} from 'electron';
import { createCore, type Core } from '../core/createCore';
import { userDataOverride } from '../core/dataDir';
import { checkGit } from '../core/git';
import { bindElectronIpc, type IpcBinding } from './ipc';
import type { Handlers } from '../transport/handlers';
import type { MenuSpec } from './actions';
import { NAVIGATE_CHANNEL, ShellController, type NavigateMessage } from './controller';
import { TRAY_ICON_SIZES, appIconPng, trayIconPng } from './icons';
import { toTemplate } from './menuTemplate';
import { QUIT_CHOICES, QuitController } from './quit';
import { contentSecurityPolicy, isAppUrl, mainWindowOptions, navigationDecision, permissionDecision } from './security';
import { ShortcutManager } from './shortcuts';
import type { TrayState } from './tray';

const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const rendererFile = join(__dirname, '../renderer/index.html');
const preloadFile = join(__dirname, '../preload/index.cjs');
const appUrl = { devServerUrl, indexFileUrl: pathToFileURL(rendererFile).href };

function log(message: string, error?: unknown): void {
  if (error === undefined) console.error(message);
  else console.error(message, error);
}

/** Closes in-app navigation and window.open for every webContents; http(s) links go to the browser. */
function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    const decision = navigationDecision(url, true);
    // Suppressed: the URL passed navigationDecision (http/https only, no credentials; security.test.ts).
    if (decision.openExternal) void shell.openExternal(decision.openExternal); /* eng-disable OPEN_EXTERNAL_JS_CHECK */
  });
  contents.setWindowOpenHandler(({ url, disposition }) => {
    const decision = navigationDecision(url, disposition === 'foreground-tab' || disposition === 'background-tab');
    // Suppressed: as above, only http(s) URLs that navigationDecision allowed reach openExternal.
    if (decision.openExternal) void shell.openExternal(decision.openExternal); /* eng-disable OPEN_EXTERNAL_JS_CHECK */
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function hardenSession(): void {
  const ses = session.defaultSession;
  const csp = contentSecurityPolicy(devServerUrl);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  ses.setPermissionRequestHandler((_contents, permission, callback) => callback(permissionDecision(permission)));
  ses.setPermissionCheckHandler((_contents, permission) => permissionDecision(permission));
}

/**
 * Notifications on screen. Electron holds a main-process Notification only weakly
 * (electron/electron#16922): without a reference of ours, a garbage collection before the user
 * clicks drops the click. Each is kept until clicked, closed or failed; the oldest are let go past
 * a bound, for platforms that never report a close.
 */
const shownNotifications = new Set<Notification>();
const MAX_KEPT_NOTIFICATIONS = 50;

function showNotification(options: NotificationConstructorOptions, onClick?: () => void): void {
  if (!Notification.isSupported()) return;
  const n = new Notification(options);
  const release = () => shownNotifications.delete(n);
  n.on('click', () => {
    release();
    onClick?.();
  });
  n.on('close', release);
  n.on('failed', release);
  shownNotifications.add(n);
  for (const old of shownNotifications) {
    if (shownNotifications.size <= MAX_KEPT_NOTIFICATIONS) break;
    shownNotifications.delete(old);
  }
  n.show();
}

function trayImage(state: TrayState): NativeImage {
  const image = nativeImage.createEmpty();
  for (const { scaleFactor, size } of TRAY_ICON_SIZES) image.addRepresentation({ scaleFactor, buffer: trayIconPng(state, size) });
  return image;
}

export function runDesktopApp(): void {
  // Electron's default userData is the folder core/dataDir.ts names for `npm start`'s fallback.
  const override = userDataOverride(process.env);
  if (override) app.setPath('userData', override);
  app.enableSandbox();

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  app.whenReady().then(start, (e: unknown) => fatal('Switchyard could not start', e));
}

function fatal(title: string, error: unknown): void {
  log(title, error);
  dialog.showErrorBox(title, error instanceof Error ? error.message : String(error));
  // Nothing is open yet (the core failed to start), so there is no database to close first.
  app.exit(1);
}

function start(): void {
  let core: Core;
  try {
    core = createCore({ dataDir: app.getPath('userData') });
  } catch (e) {
    fatal('Switchyard could not open its database', e);
    return;
  }
  hardenSession();
  checkGit().catch((e: unknown) => {
    log('switchyard: git check failed', e);
    dialog.showErrorBox('Git is needed', e instanceof Error ? e.message : String(e));
  });

  const orch = core.orchestrator;
  let win: BrowserWindow | null = null;
  let loaded = false;
  let pendingNavigation: NavigateMessage | null = null;

  const sendNavigation = () => {
    if (win && loaded && pendingNavigation && !win.webContents.isDestroyed()) {
      win.webContents.send(NAVIGATE_CHANNEL, pendingNavigation);
      pendingNavigation = null;
    }
  };

  const createWindow = (): BrowserWindow => {
    // Suppressed: the scanner cannot see into mainWindowOptions() (security.ts), which sets
    // contextIsolation, sandbox and disableBlinkFeatures: 'Auxclick'; security.test.ts checks
    // that object against the Electron security checklist.
    const w = new BrowserWindow({ ...mainWindowOptions(preloadFile), icon: nativeImage.createFromBuffer(appIconPng(256)) }); /* eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK */
    loaded = false;
    w.webContents.on('did-finish-load', () => {
      loaded = true;
      sendNavigation();
    });
    w.on('focus', () => controller.onWindowFocused());
    w.on('close', (event) => {
      if (quit.quitting || quit.mayExit) return;
      event.preventDefault();
      // macOS: the red button hides; elsewhere closing the window is a request to quit.
      if (process.platform === 'darwin') w.hide();
      else void quit.requestQuit();
    });
    w.on('closed', () => {
      if (win === w) win = null;
    });
    w.once('ready-to-show', () => w.show());
    if (devServerUrl) void w.loadURL(devServerUrl);
    else void w.loadFile(rendererFile);
    return w;
  };

  const windowPort = {
    show() {
      if (!win) win = createWindow();
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
    },
    hide() {
      win?.hide();
    },
    isVisible: () => win?.isVisible() ?? false,
    isFocused: () => win?.isFocused() ?? false,
    navigate(message: NavigateMessage) {
      pendingNavigation = message;
      sendNavigation();
    },
  };

  const quit = new QuitController({
    activeWorkflows: () => orch.active(),
    ask: async (active) => {
      const names = active.map((w) => `• ${w.issueId} — ${w.worktreeName} (${w.status})`).join('\n');
      const options = {
        type: 'question' as const,
        buttons: QUIT_CHOICES.map((c) => c.label),
        defaultId: 2,
        cancelId: 2,
        noLink: true,
        title: 'Quit Switchyard',
        message: `${active.length} workflow${active.length === 1 ? ' is' : 's are'} still active.`,
        detail: `${names}\n\nCancel them and quit, keep them running in the background (Switchyard stays in the tray), or don't quit.`,
      };
      // Modal to the window only while it is on screen: after "Keep running" the window is hidden
      // and a question attached to it (a sheet on macOS) would never be seen — Quit from the tray
      // would seem to do nothing.
      const parent = win && !win.isDestroyed() && win.isVisible() ? win : null;
      const { response } = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
      return QUIT_CHOICES[response]?.answer ?? 'dont-quit';
    },
    cancelAll: (reason) => orch.cancelAll(reason),
    closeCore: async () => {
      shortcuts.unregisterAll();
      ipc.dispose();
      tray?.destroy();
      tray = null;
      await core.close();
    },
    exit: (code) => app.exit(code),
    hideWindows: () => windowPort.hide(),
    cancelBoundMs: () => orch.settings().killGraceMs + 5_000,
    log,
  });

  let tray: Tray | null = null;
  let lastTrayState: TrayState | null = null;
  const controller = new ShellController(
    {
      window: windowPort,
      cancel: (id) => orch.cancel(id, 'Cancelled from the tray or menu'),
      cancelAll: () => orch.cancelAll('Cancelled from the tray or menu'),
      requestQuit: () => void quit.requestQuit(),
      settings: () => orch.settings(),
      setTray: (state, tooltip, menu) => {
        if (!tray) return;
        if (state !== lastTrayState) {
          tray.setImage(trayImage(state));
          lastTrayState = state;
        }
        tray.setToolTip(tooltip);
        tray.setContextMenu(Menu.buildFromTemplate(toTemplate(menu, (a) => controller.dispatch(a))));
      },
      setAppMenu: (menu: MenuSpec[]) => Menu.setApplicationMenu(Menu.buildFromTemplate(toTemplate(menu, (a) => controller.dispatch(a)))),
      notify: (spec) => showNotification({ title: spec.title, body: spec.body, silent: spec.kind !== 'approval' }, () => controller.dispatch(spec.onClick)),
      log,
    },
    orch.active(),
    process.platform,
    Boolean(devServerUrl),
  );

  const shortcuts = new ShortcutManager(globalShortcut, (a) => controller.dispatch(a));
  const applyShortcuts = () => {
    const report = shortcuts.apply(orch.settings().shortcuts);
    for (const c of report.conflicts) {
      log(`switchyard: global shortcut not registered: ${c.message}`);
      showNotification({ title: 'Shortcut not available', body: c.message });
    }
  };
  const wrapHandlers = (handlers: Handlers): Handlers => ({
    ...handlers,
    'settings.set': async (params) => {
      const settings = await handlers['settings.set'](params);
      applyShortcuts();
      controller.refresh();
      return settings;
    },
  });

  win = createWindow();
  const ipc: IpcBinding = bindElectronIpc({
    core,
    getWebContents: () => win?.webContents ?? null,
    isTrustedOrigin: (url) => isAppUrl(url, appUrl),
    wrapHandlers,
    onRefused: (channel, reason) => log(`switchyard: refused IPC on ${channel}: ${reason}`),
  });

  tray = new Tray(trayImage('idle'));
  lastTrayState = 'idle';
  if (process.platform !== 'darwin') tray.on('click', () => controller.dispatch({ kind: 'toggle-window' }));
  orch.bus.on('workflow', (w) => controller.onWorkflow(w));
  controller.refresh();
  applyShortcuts();

  app.on('second-instance', () => windowPort.show());
  app.on('activate', () => windowPort.show());
  app.on('before-quit', (event) => {
    if (quit.mayExit) return;
    event.preventDefault();
    void quit.requestQuit();
  });
  app.on('window-all-closed', () => {
    // The tray keeps Switchyard running; quitting goes through the quit flow.
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void quit.shutdown(0));
}
