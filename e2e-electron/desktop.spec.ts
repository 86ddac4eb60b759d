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

interface E2EHook {
  trayItemIds(): string[];
  clickTrayItem(id: string): void;
  trayState(): string | null;
  active(): { id: string; status: string; currentStage: string | null }[];
}
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

const hook = <T>(app: ElectronApplication, fn: (h: E2EHook, arg: string) => T, arg = '') =>
  app.evaluate((_electron, [source, a]) => new Function('h', 'a', `return (${source})(h, a)`)((globalThis as Record<string, unknown>).__switchyardE2E, a), [fn.toString(), arg] as const) as Promise<T>;

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
  const app = await electron.launch({ args: [root], env: { ...process.env, SWITCHYARD_USER_DATA_DIR: userData, SWITCHYARD_E2E: '1' } });
  const page = await app.firstWindow();
  await page.waitForFunction(() => 'switchyard' in globalThis);

  // Start: the plan stage runs, then the gate blocks the workflow.
  const started = await call<WorkflowLite>(page, 'workflows', 'start', { worktreePath: repoA, issueId: 'E2E-1' });
  await expect.poll(() => hook(app, (h, id) => h.active().find((w) => w.id === id)?.status, started.id)).toBe('blocked');
  await expect.poll(() => hook(app, (h) => h.trayState())).toBe('approval');
  expect(await hook(app, (h) => h.trayItemIds())).toContain(`open:${started.id}`);

  // Approve: the implement stage runs (and keeps running).
  await call(page, 'workflows', 'approve', { workflowId: started.id });
  await expect.poll(() => hook(app, (h, id) => h.active().find((w) => w.id === id)?.currentStage, started.id)).toBe('implement');
  await expect.poll(() => hook(app, (h) => h.trayState())).toBe('running');

  // Cancel from the tray menu.
  await hook(app, (h, id) => h.clickTrayItem(`cancel:${id}`), started.id);
  await expect.poll(async () => (await call<WorkflowLite>(page, 'workflows', 'get', { workflowId: started.id })).status).toBe('cancelled');
  await expect.poll(() => hook(app, (h) => h.trayState())).toBe('idle');

  // Quit with an active workflow: answer "Cancel all and quit" (button 0).
  const second = await call<WorkflowLite>(page, 'workflows', 'start', { worktreePath: repoB, issueId: 'E2E-2' });
  await expect.poll(() => hook(app, (h, id) => h.active().find((w) => w.id === id)?.status, second.id)).toBe('blocked');
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
  const app = await electron.launch({ args: [root], env: { ...process.env, SWITCHYARD_USER_DATA_DIR: userData, SWITCHYARD_E2E: '1' } });
  const page = await app.firstWindow();
  await page.waitForFunction(() => 'switchyard' in globalThis);
  const w = await call<WorkflowLite>(page, 'workflows', 'start', { worktreePath: repoA, issueId: 'E2E-3' });
  await expect.poll(() => hook(app, (h, id) => h.active().find((x) => x.id === id)?.status, w.id)).toBe('blocked');
  await app.evaluate(({ dialog }) => {
    dialog.showMessageBox = (async () => ({ response: 2, checkboxChecked: false })) as typeof dialog.showMessageBox;
  });
  await app.evaluate(({ app: electronApp }) => electronApp.quit());
  await expect.poll(() => hook(app, (h, id) => h.active().find((x) => x.id === id)?.status, w.id)).toBe('blocked');
  // Now really quit: answer "Cancel all and quit".
  await app.evaluate(({ dialog }) => {
    dialog.showMessageBox = (async () => ({ response: 0, checkboxChecked: false })) as typeof dialog.showMessageBox;
  });
  const exited = new Promise<number | null>((r) => app.process().once('exit', (code) => r(code)));
  await app.evaluate(({ app: electronApp }) => electronApp.quit()).catch(() => {});
  expect(await exited).toBe(0);
});
