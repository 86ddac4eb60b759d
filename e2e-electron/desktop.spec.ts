// The desktop shell end to end, in the real Electron app (run by e2e-electron/run.mjs): launch,
// start a workflow, approve it, cancel it from the tray menu, and the quit flow's
// "Cancel all and quit" — which must leave the database closed and consistent.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';

const root = resolve(import.meta.dirname, '..');

type Reply<T> = { result: T } | { error: { code: string; message: string } };
type WorkflowLite = { id: string; status: string; currentStage: string | null };

function makeRepo(dir: string): void {
  mkdirSync(join(dir, '.switchyard'), { recursive: true });
  const pipelines = {
    pipelines: {
      default: {
        stages: [
          { name: 'plan', agent: 'architect', run: ['node', '-e', "console.log('the plan')"], captureAs: 'plan' },
          { name: 'approve', approval: true },
          // Runs until cancelled.
          { name: 'implement', agent: 'developer', run: ['node', '-e', 'setInterval(() => {}, 1000)'] },
        ],
      },
    },
  };
  writeFileSync(join(dir, '.switchyard', 'pipelines.json'), JSON.stringify(pipelines, null, 2));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir });
  git('init', '-q', '-b', 'main');
  git('-c', 'user.email=e2e@example.com', '-c', 'user.name=e2e', 'add', '.');
  git('-c', 'user.email=e2e@example.com', '-c', 'user.name=e2e', 'commit', '-q', '-m', 'init');
}

async function call<T>(page: Page, group: string, method: string, params: unknown): Promise<T> {
  const reply = (await page.evaluate(
    ([g, m, p]) => {
      const bridge = (globalThis as unknown as { switchyard: Record<string, Record<string, (x: unknown) => Promise<unknown>>> }).switchyard;
      return bridge[g]![m]!(p);
    },
    [group, method, params] as const,
  )) as Reply<T>;
  if ('error' in reply) throw new Error(`${group}.${method}: ${reply.error.code} ${reply.error.message}`);
  return reply.result;
}

/**
 * The tray as the test sees it, without a hook in the app: Playwright runs this in Electron's main
 * process, where it wraps Tray's setters to keep what the shell last gave the tray. The shell sets a
 * new tooltip and menu on every change of the active workflows, so everything after the first
 * change is seen; click() runs a menu item as a click on it would.
 */
async function probeTray(app: ElectronApplication): Promise<void> {
  await app.evaluate(({ Tray }) => {
    const seen: { tooltip: string; menu: Electron.Menu | null } = { tooltip: '', menu: null };
    const proto = Tray.prototype as unknown as Record<string, (this: Electron.Tray, ...a: unknown[]) => unknown>;
    const setToolTip = proto.setToolTip!;
    const setContextMenu = proto.setContextMenu!;
    proto.setToolTip = function (text) {
      seen.tooltip = String(text);
      return setToolTip.call(this, text);
    };
    proto.setContextMenu = function (menu) {
      seen.menu = menu as Electron.Menu | null;
      return setContextMenu.call(this, menu);
    };
    (globalThis as Record<string, unknown>).__trayProbe = seen;
  });
}

type TraySeen = { tooltip: string; itemIds: string[] };
const traySeen = (app: ElectronApplication) =>
  app.evaluate(() => {
    const seen = (globalThis as Record<string, unknown>).__trayProbe as { tooltip: string; menu: Electron.Menu | null };
    return { tooltip: seen.tooltip, itemIds: seen.menu ? seen.menu.items.map((i) => i.id).filter(Boolean) : [] };
  }) as Promise<TraySeen>;
const clickTrayItem = (app: ElectronApplication, id: string) =>
  app.evaluate((_electron, itemId) => {
    const seen = (globalThis as Record<string, unknown>).__trayProbe as { menu: Electron.Menu | null };
    const item = seen.menu?.getMenuItemById(itemId);
    if (!item) throw new Error(`No tray item ${itemId}`);
    item.click();
  }, id);
/** The tray's state as its tooltip's first line says it (src/main/shell/tray.ts). */
const trayState = async (app: ElectronApplication) => {
  const head = (await traySeen(app)).tooltip.split('\n')[0] ?? '';
  return head.includes('waiting for approval') ? 'approval' : head.includes('running') ? 'running' : head.endsWith('idle') ? 'idle' : head;
};
const statusOf = async (page: Page, id: string) => (await call<WorkflowLite>(page, 'workflows', 'get', { workflowId: id }));

let work: string;
let userData: string;
let repoA: string;
let repoB: string;

test.beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'switchyard-e2e-'));
  userData = join(work, 'user-data');
  repoA = join(work, 'repo-a');
  repoB = join(work, 'repo-b');
  makeRepo(repoA);
  makeRepo(repoB);
});

test.afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

test('start, approve, cancel from the tray, then Cancel all and quit', async () => {
  const app = await electron.launch({ args: [root], env: { ...process.env, SWITCHYARD_USER_DATA_DIR: userData } });
  const page = await app.firstWindow();
  await page.waitForFunction(() => 'switchyard' in globalThis);
  await probeTray(app);

  // Start: the plan stage runs, then the gate blocks the workflow.
  const started = await call<WorkflowLite>(page, 'workflows', 'start', { worktreePath: repoA, issueId: 'E2E-1' });
  await expect.poll(async () => (await statusOf(page, started.id)).status).toBe('blocked');
  await expect.poll(() => trayState(app)).toBe('approval');
  expect((await traySeen(app)).itemIds).toContain(`open:${started.id}`);

  // Approve: the implement stage runs (and keeps running).
  await call(page, 'workflows', 'approve', { workflowId: started.id });
  await expect.poll(async () => (await statusOf(page, started.id)).currentStage).toBe('implement');
  await expect.poll(() => trayState(app)).toBe('running');

  // Cancel from the tray menu.
  await clickTrayItem(app, `cancel:${started.id}`);
  await expect.poll(async () => (await call<WorkflowLite>(page, 'workflows', 'get', { workflowId: started.id })).status).toBe('cancelled');
  await expect.poll(() => trayState(app)).toBe('idle');

  // Quit with an active workflow: answer "Cancel all and quit" (button 0).
  const second = await call<WorkflowLite>(page, 'workflows', 'start', { worktreePath: repoB, issueId: 'E2E-2' });
  await expect.poll(async () => (await statusOf(page, second.id)).status).toBe('blocked');
  await app.evaluate(({ dialog }) => {
    dialog.showMessageBox = (async () => ({ response: 0, checkboxChecked: false })) as typeof dialog.showMessageBox;
  });
  const exited = new Promise<number | null>((r) => app.process().once('exit', (code) => r(code)));
  await app.evaluate(({ app: electronApp }) => electronApp.quit()).catch(() => {});
  expect(await exited).toBe(0);

  // The database was closed cleanly: consistent, and both workflows are cancelled.
  const db = new Database(join(userData, 'switchyard.db'), { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const rows = db.prepare('SELECT id, status FROM workflows ORDER BY n').all() as { id: string; status: string }[];
    expect(rows).toEqual([
      { id: started.id, status: 'cancelled' },
      { id: second.id, status: 'cancelled' },
    ]);
  } finally {
    db.close();
  }
});

test('"Don\'t quit" keeps the app and its workflow', async () => {
  const app = await electron.launch({ args: [root], env: { ...process.env, SWITCHYARD_USER_DATA_DIR: userData } });
  const page = await app.firstWindow();
  await page.waitForFunction(() => 'switchyard' in globalThis);
  await probeTray(app);
  const w = await call<WorkflowLite>(page, 'workflows', 'start', { worktreePath: repoA, issueId: 'E2E-3' });
  await expect.poll(async () => (await statusOf(page, w.id)).status).toBe('blocked');
  await app.evaluate(({ dialog }) => {
    dialog.showMessageBox = (async () => ({ response: 2, checkboxChecked: false })) as typeof dialog.showMessageBox;
  });
  await app.evaluate(({ app: electronApp }) => electronApp.quit());
  await expect.poll(async () => (await statusOf(page, w.id)).status).toBe('blocked');
  // Now really quit: answer "Cancel all and quit".
  await app.evaluate(({ dialog }) => {
    dialog.showMessageBox = (async () => ({ response: 0, checkboxChecked: false })) as typeof dialog.showMessageBox;
  });
  const exited = new Promise<number | null>((r) => app.process().once('exit', (code) => r(code)));
  await app.evaluate(({ app: electronApp }) => electronApp.quit()).catch(() => {});
  expect(await exited).toBe(0);
});
