// The desktop shell end to end without an Electron binary (issue #16): the BUILT main bundle and
// preload, run in Node with the Electron stand-in, the real core, a temporary git repository and
// real agent processes. Each test is one point of the shell's wiring; they run in order against
// one app (the workflows of one test are still there for the next, as in real use).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { Repo, Workflow, Worktree } from '../../src/shared/domain';
import { METHOD_NAMES, channelOf } from '../../src/shared/methods';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { TRAY_ICON_SIZES, trayIconPng } from '../../src/main/shell/icons';
import { QUIT_CHOICES } from '../../src/main/shell/quit';
import { TRAY_STATES, type TrayState } from '../../src/main/shell/tray';
import { cspAllows, parseCsp, referencedAssets } from './csp';
import { StandInElectron, StandInWebContents, type StandInMenuItem } from './electronStandIn';
import { OUT, isRunning, launch, makeRepo, tempDir, waitGone, type AppInstance } from './harness';

/** Which of the four tray icons the tray shows (compared with the icons the shell draws). */
function trayIcon(electron: StandInElectron): TrayState {
  const tray = electron.trays.at(-1);
  assert.ok(tray, 'the app created a tray');
  for (const state of TRAY_STATES) {
    const same = TRAY_ICON_SIZES.every(({ scaleFactor, size }) => tray.image.representations.some((r) => r.scaleFactor === scaleFactor && r.buffer.equals(trayIconPng(state, size))));
    if (same && tray.image.representations.length === TRAY_ICON_SIZES.length) return state;
  }
  throw new Error('the tray shows an icon that is none of the four states');
}

function trayItems(electron: StandInElectron): StandInMenuItem[] {
  const menu = electron.trays.at(-1)?.contextMenu;
  assert.ok(menu, 'the tray has a context menu');
  return menu.all();
}

const waitTray = (app: AppInstance, state: TrayState) => app.electron.waitFor(`the tray icon to show ${state}`, () => trayIcon(app.electron) === state);

describe('the built desktop app (out/), with an Electron stand-in, the real core and real agents', () => {
  let work: string;
  let repoDir: string;
  let userData: string;
  let app: AppInstance;
  let repo: Repo;
  const wt: Worktree[] = [];
  const pids: number[] = [];
  const ids: Record<string, string> = {};
  let pageUrl: string;

  const start = async (issueId: string, worktree: Worktree, pipeline: string): Promise<Workflow> => {
    const w = await app.call<Workflow>('workflows', 'start', { worktreePath: worktree.path, issueId, pipeline });
    ids[issueId] = w.id;
    return w;
  };
  /** Waits for the agent's "pids <agent> <child>" line and remembers both processes. */
  const treeOf = async (w: Workflow): Promise<number[]> => {
    const m = await app.waitForOutput(w.id, /pids (\d+) (\d+)/);
    const tree = [Number(m[1]), Number(m[2])];
    assert.ok(tree.every(isRunning), 'the agent and its child run');
    pids.push(...tree);
    return tree;
  };

  before(async () => {
    work = tempDir('app');
    repoDir = join(work, 'repo');
    userData = join(work, 'user-data');
    makeRepo(repoDir);
    app = await launch({ userData });
    // Without a working preload there is nothing to listen to; the tests then say why.
    if (app.window.webContents.mainWorld.has('switchyard')) app.listen();
    pageUrl = app.window.webContents.getURL();
  });

  after(async () => {
    if (app && app.electron.app.exitCode === null) await app.shutdown();
    const stragglers = pids.filter(isRunning);
    for (const pid of stragglers) process.kill(pid, 'SIGKILL');
    rmSync(work, { recursive: true, force: true });
    assert.deepEqual(stragglers, [], 'no agent process outlived the app');
  });

  it('starts sandboxed and single-instance, with the secure window of docs/design.md §4.3', () => {
    const order = app.electron.calls.map((c) => c.api);
    assert.ok(order.indexOf('app.enableSandbox') >= 0 && order.indexOf('app.enableSandbox') < order.indexOf('app.ready'), 'app.enableSandbox() before ready');
    assert.ok(order.indexOf('app.requestSingleInstanceLock') >= 0 && order.indexOf('app.requestSingleInstanceLock') < order.indexOf('app.ready'), 'the single-instance lock before ready');
    assert.equal(app.electron.windows.length, 1);
    const prefs = app.window.options.webPreferences ?? {};
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(prefs.nodeIntegrationInWorker, false);
    assert.equal(prefs.nodeIntegrationInSubFrames, false);
    assert.equal(prefs.webSecurity, true);
    assert.equal(prefs.allowRunningInsecureContent, false);
    assert.equal(prefs.webviewTag, false);
    assert.equal(prefs.experimentalFeatures, false);
    assert.equal(app.window.options.show, false, 'hidden until ready-to-show');
    assert.equal(app.window.isVisible(), true, 'shown once ready');
  });

  it('names a preload that exists in out/, is CommonJS, and exposes exactly the contract', () => {
    const preload = app.window.options.webPreferences?.preload;
    assert.equal(preload, OUT.preload);
    assert.ok(existsSync(preload), `${preload} exists`);
    // A classic script (what a sandboxed preload must be): ESM syntax would not compile.
    assert.doesNotThrow(() => new Script(readFileSync(preload, 'utf8'), { filename: preload }));
    assert.equal(app.window.webContents.preloadError, null, 'the preload ran without error');
    assert.deepEqual([...app.window.webContents.mainWorld.keys()], ['switchyard'], 'only window.switchyard is exposed');

    const api = app.api as unknown as Record<string, unknown>;
    const expected = new Map<string, string[]>();
    for (const m of METHOD_NAMES) {
      const [group, name] = m.split('.') as [string, string];
      expected.set(group, [...(expected.get(group) ?? []), name]);
    }
    assert.deepEqual(Object.keys(api).sort(), [...expected.keys(), 'onNavigate', 'subscribe'].sort());
    for (const [group, names] of expected) {
      const g = api[group] as Record<string, unknown>;
      assert.deepEqual(Object.keys(g).sort(), [...names].sort(), `window.switchyard.${group}`);
      for (const n of names) assert.equal(typeof g[n], 'function');
    }
    assert.ok(Object.isFrozen(api), 'the API object cannot be changed by the page');
  });

  it('loads the built page from out/renderer', () => {
    assert.equal(pageUrl, pathToFileURL(OUT.renderer).href);
    assert.ok(existsSync(OUT.renderer));
  });

  it("sends a CSP that allows every script and style of the built index.html and nothing inline", () => {
    const listener = app.electron.headersListener;
    assert.ok(listener, 'the session has an onHeadersReceived listener');
    let headers: Record<string, string[] | string> | undefined;
    listener({ url: pageUrl, resourceType: 'mainFrame', responseHeaders: {} } as never, (r) => (headers = r.responseHeaders));
    const value = headers?.['Content-Security-Policy'];
    assert.ok(Array.isArray(value) && value.length === 1, 'one Content-Security-Policy header');
    const policy = parseCsp(value[0]!);

    const html = readFileSync(OUT.renderer, 'utf8');
    const assets = referencedAssets(html);
    assert.ok(assets.scripts.length >= 1 && assets.styles.length >= 1, 'the page references its script and style');
    for (const src of assets.scripts) assert.ok(cspAllows(policy, 'script-src', new URL(src, pageUrl).href, pageUrl), `script ${src} allowed`);
    for (const href of assets.styles) assert.ok(cspAllows(policy, 'style-src', new URL(href, pageUrl).href, pageUrl), `style ${href} allowed`);
    for (const dir of ['script-src', 'style-src'] as const) {
      assert.equal(cspAllows(policy, dir, 'inline', pageUrl), false, `${dir} allows no inline code`);
      assert.equal(cspAllows(policy, dir, 'https://cdn.example.com/x.js', pageUrl), false, `${dir} allows no other origin`);
    }
    assert.equal(cspAllows(policy, 'script-src', 'eval', pageUrl), false, 'no eval');
    assert.deepEqual(policy.get('object-src'), ["'none'"]);
    assert.deepEqual(policy.get('frame-ancestors'), ["'none'"]);
    assert.deepEqual(assets.inline, [], 'the built page has no inline script or style for the CSP to refuse');
    // The page's own <meta> policy applies too (both must allow the page).
    const meta = assets.metaCsp;
    assert.ok(meta, 'the page carries a <meta> CSP');
    for (const src of assets.scripts) assert.ok(cspAllows(parseCsp(meta), 'script-src', new URL(src, pageUrl).href, pageUrl), `meta CSP allows ${src}`);
    for (const href of assets.styles) assert.ok(cspAllows(parseCsp(meta), 'style-src', new URL(href, pageUrl).href, pageUrl), `meta CSP allows ${href}`);
  });

  it('denies navigation, new windows and permissions; a clicked http(s) link opens in the browser', () => {
    const contents = app.window.webContents;
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'javascript:alert(1)']) {
      const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
      contents.emit('will-navigate', event, url);
      assert.ok(event.defaultPrevented, `navigation to ${url} prevented`);
    }
    assert.deepEqual(app.electron.openedExternally, ['https://example.com/']);
    assert.ok(contents.windowOpenHandler, 'a window-open handler');
    assert.deepEqual(contents.windowOpenHandler({ url: 'https://example.com/a', disposition: 'foreground-tab' } as never), { action: 'deny' });
    assert.deepEqual(contents.windowOpenHandler({ url: pageUrl, disposition: 'new-window' } as never), { action: 'deny' });
    let granted: boolean | undefined;
    app.electron.permissionRequestHandler?.(contents as never, 'notifications', (g) => (granted = g), {} as never);
    assert.equal(granted, false);
  });

  it('has an IPC handler for every contract method, on the channel the preload invokes, and refuses other frames', async () => {
    const handled = [...app.electron.ipcMain.handlers.keys()].sort();
    assert.deepEqual(handled, METHOD_NAMES.map((m) => channelOf(m)).sort(), 'one handler per contract method, no others');
    const contents = app.window.webContents;
    contents.invokedChannels.length = 0;
    const api = app.api as unknown as Record<string, Record<string, (p: unknown) => Promise<{ error?: { code: string; message: string } }>>>;
    for (const m of METHOD_NAMES) {
      const [group, name] = m.split('.') as [string, string];
      // Empty params: most methods answer INVALID_INPUT, which proves the call reached its handler.
      const reply = await api[group]![name]!({});
      assert.ok(!reply.error || reply.error.code !== 'INTERNAL', `${m} reached its handler (${reply.error?.message ?? 'ok'})`);
    }
    assert.deepEqual([...contents.invokedChannels].sort(), handled, 'the preload invokes exactly the handled channels');

    // Refused: another origin in the window, a subframe of the page, another webContents.
    const refused = async (sender: StandInWebContents, frame: { url: string; parent: unknown }) => {
      const reply = (await app.electron.ipcMain.dispatch(channelOf('repos.add'), { sender, senderFrame: frame as never }, [{ path: repoDir }])) as { error?: { code: string } };
      assert.equal(reply.error?.code, 'UNAUTHORIZED');
    };
    await refused(contents, { url: 'https://evil.example/', parent: null });
    await refused(contents, { url: pageUrl, parent: contents.mainFrame });
    const other = new StandInWebContents(app.electron, undefined);
    await other.loadFile(OUT.renderer);
    await refused(other, other.mainFrame);
    assert.deepEqual(await app.call('repos', 'list', {}), [], 'refused calls changed nothing');
  });

  it('puts a workflow started through the preload in the tray; its Cancel item stops the whole process tree', async () => {
    repo = await app.call<Repo>('repos', 'add', { path: repoDir });
    // One worktree per workflow: a cancelled run holds its worktree until its processes are reaped.
    for (let i = 1; i <= 9; i++) wt.push(await app.call<Worktree>('worktrees', 'create', { repoId: repo.id, branch: `wt-${i}` }));
    assert.equal(trayIcon(app.electron), 'idle');

    const w1 = await start('SHELL-1', wt[0]!, 'tree');
    const tree = await treeOf(w1);
    await waitTray(app, 'running');
    const label = `Cancel SHELL-1 — ${w1.worktreeName}`;
    const item = await app.electron.waitFor(`a tray item "${label}"`, () => trayItems(app.electron).find((i) => i.label.startsWith(label)));
    item.click();
    await app.waitForStatus(w1.id, 'cancelled');
    assert.deepEqual(await waitGone(tree, 10_000), [], 'the agent and its child are gone');
    await waitTray(app, 'idle');
    assert.equal(trayItems(app.electron).some((i) => i.label.startsWith(label)), false, 'its item left the menu');
  });

  it('"Cancel all" in the tray cancels every active workflow and their processes', async () => {
    const w2 = await start('SHELL-2', wt[1]!, 'tree');
    const w3 = await start('SHELL-3', wt[2]!, 'tree');
    const trees = [...(await treeOf(w2)), ...(await treeOf(w3))];
    await app.electron.waitFor('both workflows in the tray', () => trayItems(app.electron).filter((i) => i.label.startsWith('Cancel SHELL-')).length === 2);
    const cancelAll = trayItems(app.electron).find((i) => i.label === 'Cancel all');
    assert.ok(cancelAll?.enabled, 'an enabled "Cancel all"');
    cancelAll.click();
    await app.waitForStatus(w2.id, 'cancelled');
    await app.waitForStatus(w3.id, 'cancelled');
    assert.deepEqual(await waitGone(trees, 10_000), []);
    await waitTray(app, 'idle');
    assert.equal(trayItems(app.electron).find((i) => i.label === 'Cancel all')?.enabled, false, '"Cancel all" is disabled with nothing active');
  });

  it('announces a completion only while the window is not focused', async () => {
    const seen = () => app.electron.notifications.map((n) => n.title);
    app.window.show();
    const focused = await start('SHELL-8', wt[7]!, 'quick');
    await app.waitForStatus(focused.id, 'completed');
    app.window.blur();
    const blurred = await start('SHELL-9', wt[8]!, 'quick');
    await app.waitForStatus(blurred.id, 'completed');
    await app.electron.waitFor('the completion notification', () => seen().includes(`Completed: SHELL-9 — ${blurred.worktreeName}`));
    assert.equal(seen().some((t) => t.startsWith('Completed: SHELL-8')), false, 'nothing for the one completed under the user\'s eyes');
  });

  it('shows a failure in the tray and a notification until the window is looked at', async () => {
    app.window.blur();
    const w6 = await start('SHELL-6', wt[5]!, 'failing');
    await app.waitForStatus(w6.id, 'failed');
    await waitTray(app, 'failed');
    await app.electron.waitFor('a failure notification', () => app.electron.notifications.find((x) => x.title === `Failed: SHELL-6 — ${w6.worktreeName}`));
    app.window.show();
    await waitTray(app, 'idle');
  });

  it('counts a workflow whose agent asks for a tool in the tray and notifies it like an approval; the answer clears it (rule 11)', async () => {
    app.window.blur();
    const tree = await app.call<Worktree>('worktrees', 'create', { repoId: repo.id, branch: 'wt-asks' });
    const w = await start('SHELL-10', tree, 'asks');
    await waitTray(app, 'approval');
    const n = await app.electron.waitFor('the tool request notification', () => app.electron.notifications.find((x) => x.title === `Tool request: SHELL-10 — ${w.worktreeName}`));
    assert.equal(n.body, 'The agent asks to run Bash: npm test');
    assert.ok(trayItems(app.electron).some((i) => i.label === `Answer tool request… SHELL-10 — ${w.worktreeName}`), 'an Answer item in the tray');
    assert.match(app.electron.trays.at(-1)!.toolTip, /1 needs you \(tool request\)/);
    const waiting = await app.call<Workflow>('workflows', 'get', { workflowId: w.id });
    await app.call('permissions', 'decide', { workflowId: w.id, requestId: waiting.pendingPermissions[0]!.requestId, decision: 'allow' });
    await app.waitForStatus(w.id, 'completed');
    app.window.show();
    await waitTray(app, 'idle');
  });

  it('notifies when a workflow reaches its gate; the click opens it; the approve shortcut opens the latest approval', async () => {
    const w4 = await start('SHELL-4', wt[3]!, 'gated');
    await app.waitForStatus(w4.id, 'blocked');
    await waitTray(app, 'approval');
    const n = await app.electron.waitFor('the approval notification', () => app.electron.notifications.find((x) => x.title === `Approval needed: SHELL-4 — ${w4.worktreeName}`));
    assert.ok(trayItems(app.electron).some((i) => i.label === `Approve… SHELL-4 — ${w4.worktreeName}`), 'an Approve… item in the tray');

    app.window.hide();
    assert.ok(await app.electron.clickNotification(n), 'the click reached the app (it keeps its notifications until clicked or closed)');
    await app.electron.waitFor('the window to open the workflow', () => app.navigations.at(-1) === w4.id);
    assert.ok(app.window.isVisible() && app.window.isFocused(), 'the click showed and focused the window');

    const w5 = await start('SHELL-5', wt[4]!, 'gated');
    await app.waitForStatus(w5.id, 'blocked');
    const accelerator = DEFAULT_SETTINGS.shortcuts.openLatestApproval;
    const shortcut = app.electron.shortcuts.get(accelerator);
    assert.ok(shortcut, `the global shortcut ${accelerator} is registered`);
    app.window.minimize();
    shortcut();
    await app.electron.waitFor('the window to open the latest approval', () => app.navigations.at(-1) === w5.id);
    assert.ok(!app.window.isMinimized() && app.window.isFocused(), 'the shortcut restored and focused the window');
  });

  it('applies new shortcuts from settings.set at once; one another application holds is reported, the other works', async () => {
    app.electron.takenAccelerators.add('Alt+F9');
    const before = app.electron.notifications.length;
    await app.call('settings', 'set', { shortcuts: { toggleWindow: 'Alt+F9', openLatestApproval: 'Alt+F10' } });
    assert.deepEqual([...app.electron.shortcuts.keys()], ['Alt+F10'], 'only the free one is registered; the defaults are released');
    const warning = app.electron.notifications.slice(before).find((n) => n.title === 'Shortcut not available');
    assert.ok(warning && /Alt\+F9/.test(warning.body), 'the taken shortcut is reported');
    const menuItem = app.electron.applicationMenu?.all().find((i) => i.label === 'Open Latest Approval');
    assert.equal(menuItem?.accelerator, 'Alt+F10', 'the application menu shows the new accelerator');
    app.navigations.length = 0;
    app.electron.shortcuts.get('Alt+F10')!();
    await app.electron.waitFor('the new shortcut to open the latest approval', () => app.navigations.at(-1) === ids['SHELL-5']);
  });

  it('stays in the tray when its last window closes; the dock icon (activate) brings the window back', async () => {
    app.electron.app.fireWindowAllClosed();
    assert.equal(app.electron.app.exitCode, null, 'window-all-closed does not quit');
    assert.equal(app.electron.messageBoxes.length, 0);
    app.window.hide();
    app.electron.app.emit('activate');
    assert.ok(app.window.isVisible() && app.window.isFocused());
  });

  it('a second instance quits at once and focuses the first', async () => {
    app.window.minimize();
    const second = await launch({ userData });
    assert.equal(await second.electron.app.exited, 0, 'the second instance exits');
    second.forget();
    assert.equal(second.electron.windows.length, 0, 'it opened no window');
    assert.equal(second.electron.ipcMain.handlers.size, 0, 'and no IPC, no database');
    await app.electron.waitFor('the first window to come to the front', () => app.window.isVisible() && !app.window.isMinimized() && app.window.isFocused());
  });

  it('asks before quitting with active workflows; "Cancel all and quit" stops every process and closes the database', async () => {
    const w7 = await start('SHELL-7', wt[6]!, 'tree');
    const tree = await treeOf(w7);
    const labels = QUIT_CHOICES.map((c) => c.label);

    app.electron.app.quit();
    let box = await app.electron.waitFor('the quit question', () => app.electron.visibleMessageBox());
    assert.deepEqual(box.options.buttons, labels);
    assert.match(box.options.message, /^3 workflows are still active/);
    await box.clickButton("Don't quit");
    // The window's close button asks the same question; "Keep running" hides the window.
    app.window.close();
    box = await app.electron.waitFor('the question again', () => app.electron.visibleMessageBox());
    await box.clickButton('Keep running');
    await app.electron.waitFor('the window to hide', () => !app.window.isVisible());
    assert.equal(app.electron.app.exitCode, null, 'still running');
    assert.ok(tree.every(isRunning), 'the agent still runs');

    // Quit from the tray while the window is hidden: the question must still be on screen.
    trayItems(app.electron).find((i) => i.label === 'Quit')!.click();
    box = await app.electron.waitFor('the question a third time, on screen', () => app.electron.visibleMessageBox());
    await box.clickButton('Cancel all and quit');
    assert.equal(await app.electron.app.exited, 0);
    app.forget();
    assert.deepEqual(pids.filter(isRunning), [], 'every agent process is gone when the app exits');
    assert.equal(existsSync(join(userData, 'switchyard.db-wal')), false, 'the database was closed (WAL checkpointed) before the exit');

    const db = new Database(join(userData, 'switchyard.db'), { readonly: true });
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      const rows = db.prepare('SELECT issue_id AS issue, status FROM workflows ORDER BY issue_id').all() as { issue: string; status: string }[];
      assert.deepEqual(rows, [
        { issue: 'SHELL-1', status: 'cancelled' },
        { issue: 'SHELL-10', status: 'completed' },
        { issue: 'SHELL-2', status: 'cancelled' },
        { issue: 'SHELL-3', status: 'cancelled' },
        { issue: 'SHELL-4', status: 'cancelled' },
        { issue: 'SHELL-5', status: 'cancelled' },
        { issue: 'SHELL-6', status: 'failed' },
        { issue: 'SHELL-7', status: 'cancelled' },
        { issue: 'SHELL-8', status: 'completed' },
        { issue: 'SHELL-9', status: 'completed' },
      ]);
    } finally {
      db.close();
    }
  });
});

describe('no test hook in the app', () => {
  it('adds no global and reads no test variable, whatever the environment (the Electron e2e probes the tray from outside)', async () => {
    const dir = tempDir('e2e');
    try {
      const before = new Set(Object.keys(globalThis));
      const app = await launch({ userData: join(dir, 'data'), env: { SWITCHYARD_E2E: '1' } });
      assert.deepEqual(Object.keys(globalThis).filter((k) => !before.has(k) && k.toLowerCase().includes('switchyard')), []);
      assert.equal(await app.shutdown(), 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('start-up and shutdown paths', () => {
  it('a database that cannot be opened: an error box, exit code 1, no window, the file untouched', async () => {
    const dir = tempDir('baddb');
    try {
      const userData = join(dir, 'user-data');
      mkdirSync(userData);
      const junk = Buffer.from('this is not an SQLite database, just junk '.repeat(200));
      writeFileSync(join(userData, 'switchyard.db'), junk);
      const app = await launch({ userData });
      assert.equal(await app.electron.app.exited, 1);
      app.forget();
      assert.equal(app.electron.errorBoxes[0]?.title, 'Switchyard could not open its database');
      assert.equal(app.electron.windows.length, 0);
      assert.equal(app.electron.ipcMain.handlers.size, 0);
      assert.ok(readFileSync(join(userData, 'switchyard.db')).equals(junk), 'the file is left as it was');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SIGTERM shuts down without asking (running cancelled, blocked kept); the next start shows the blocked one and can approve it', async () => {
    const dir = tempDir('restart');
    const started: number[] = [];
    let app: AppInstance | null = null;
    try {
      const repoDir = join(dir, 'repo');
      const userData = join(dir, 'user-data');
      makeRepo(repoDir);
      app = await launch({ userData });
      app.listen();
      const repo = await app.call<Repo>('repos', 'add', { path: repoDir });
      const a = await app.call<Worktree>('worktrees', 'create', { repoId: repo.id, branch: 'r-a' });
      const b = await app.call<Worktree>('worktrees', 'create', { repoId: repo.id, branch: 'r-b' });
      const gated = await app.call<Workflow>('workflows', 'start', { worktreePath: a.path, issueId: 'R-1', pipeline: 'gated' });
      const running = await app.call<Workflow>('workflows', 'start', { worktreePath: b.path, issueId: 'R-2', pipeline: 'tree' });
      await app.waitForStatus(gated.id, 'blocked');
      const m = await app.waitForOutput(running.id, /pids (\d+) (\d+)/);
      started.push(Number(m[1]), Number(m[2]));

      app.signal('SIGTERM');
      assert.equal(await app.electron.app.exited, 0);
      app.forget();
      assert.equal(app.electron.messageBoxes.length, 0, 'no question on SIGTERM');
      assert.deepEqual(started.filter(isRunning), [], 'the running agent was stopped');

      app = await launch({ userData });
      app.listen();
      assert.equal(trayIcon(app.electron), 'approval', 'the tray shows the waiting approval at once');
      const labels = trayItems(app.electron).map((i) => i.label);
      assert.ok(labels.includes(`Approve… R-1 — ${gated.worktreeName}`), `an Approve… item (${labels.join(' | ')})`);
      assert.equal(labels.some((l) => l.startsWith('Cancel R-2')), false, 'the cancelled one is gone');
      assert.equal(app.electron.notifications.length, 0, 'nothing is announced for restored workflows');
      assert.equal((await app.call<Workflow>('workflows', 'get', { workflowId: running.id })).status, 'cancelled');

      await app.call('workflows', 'approve', { workflowId: gated.id });
      const m2 = await app.waitForOutput(gated.id, /pids (\d+) (\d+)/);
      started.push(Number(m2[1]), Number(m2[2]));
      await waitTray(app, 'running');
      assert.equal(await app.shutdown(), 0);
      assert.deepEqual(started.filter(isRunning), []);
    } finally {
      if (app && app.electron.app.exitCode === null) await app.shutdown();
      for (const pid of started.filter(isRunning)) process.kill(pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the test's own instruments can fail", () => {
  it('the CSP check refuses what a policy does not allow, and finds inline code in a page', () => {
    const page = 'file:///app/out/renderer/index.html';
    const js = 'file:///app/out/renderer/assets/index.js';
    assert.equal(cspAllows(parseCsp("script-src 'self' 'unsafe-inline'"), 'script-src', 'inline', page), true);
    assert.equal(cspAllows(parseCsp("default-src 'self'; style-src 'self' 'nonce-abc'"), 'style-src', 'inline', page), true);
    assert.equal(cspAllows(parseCsp("default-src 'self' 'unsafe-eval'"), 'script-src', 'eval', page), true);
    assert.equal(cspAllows(parseCsp("script-src https://cdn.example.com"), 'script-src', js, page), false);
    assert.equal(cspAllows(parseCsp("script-src 'none'"), 'script-src', js, page), false);
    assert.equal(cspAllows(parseCsp("default-src 'self'"), 'script-src', js, page), true);
    assert.equal(cspAllows(parseCsp("default-src 'self'"), 'script-src', 'http://127.0.0.1:5173/x.js', page), false);
    const assets = referencedAssets('<html><head><script>alert(1)</script><style>p{}</style><link rel="stylesheet" href="./a.css"></head><body><div style="color:red" onclick="x()"></div><script type="module" src="./a.js"></script></body></html>');
    assert.deepEqual(assets.scripts, ['./a.js']);
    assert.deepEqual(assets.styles, ['./a.css']);
    assert.equal(assets.inline.length, 3);
  });

  it('the stand-in runs a preload as a sandboxed classic script: an ES module or a Node module fails it', async () => {
    const dir = tempDir('preload');
    try {
      const electron = new StandInElectron();
      const page = join(dir, 'index.html');
      writeFileSync(page, '<!doctype html>');
      const cases: [string, string, RegExp | null][] = [
        ['esm.mjs', "import { contextBridge } from 'electron';\ncontextBridge.exposeInMainWorld('x', {});", /import statement/],
        ['fs.cjs', "require('node:fs');", /module not found: node:fs/],
        ['ok.cjs', "require('electron').contextBridge.exposeInMainWorld('x', { a: 1 });", null],
      ];
      for (const [name, source, error] of cases) {
        writeFileSync(join(dir, name), source);
        const contents = new StandInWebContents(electron, join(dir, name));
        await contents.loadFile(page);
        if (error) assert.match(contents.preloadError?.message ?? '', error, name);
        else assert.deepEqual([...contents.mainWorld.keys()], ['x'], name);
      }
      const missing = new StandInWebContents(electron, undefined);
      await assert.rejects(missing.loadFile(join(dir, 'nope.html')), /ERR_FILE_NOT_FOUND/);
      await assert.rejects(electron.ipcMain.dispatch('switchyard:nope', { sender: missing, senderFrame: null }, []), /No handler registered/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
