// Rule 13 in the window: a new worktree's setup fails at a named step, is re-run with its key,
// the run command is started and stopped with its key (its output in its own tab, its port
// reachable), and merged worktrees are removed in one step.
import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from './test';

const PORT_SERVER = resolve(import.meta.dirname, '../test/fixtures/portServer.mjs');
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, stdio: 'pipe' });

test('setup fails at a step, is re-run, the run command serves its port, merged worktrees go in one step', async ({ ui, sy, page }) => {
  const fixed = join(sy.dir, 'fixed');
  const go = join(sy.dir, 'go');
  // The step waits for the test's go-ahead (so "setting up" can be seen), then fails until fixed.
  const check = `const fs = require("fs"); const t = setInterval(() => { if (!fs.existsSync(${JSON.stringify(go)})) return; clearInterval(t); if (!fs.existsSync(${JSON.stringify(fixed)})) { console.error("prepare needs the fix"); process.exit(3) } }, 20)`;
  mkdirSync(join(sy.repo, '.switchyard'), { recursive: true });
  writeFileSync(
    join(sy.repo, '.switchyard/setup.json'),
    JSON.stringify({ version: 1, steps: [{ name: 'prepare', run: [process.execPath, '-e', check] }], run: [process.execPath, PORT_SERVER] }),
  );
  git(sy.repo, 'add', '.switchyard/setup.json');
  git(sy.repo, 'commit', '-q', '-m', 'setup');
  await sy.rpc.call('settings.set', { portBase: 46_000 + (process.pid % 400) * 10 });

  await ui.open();
  await page.getByRole('button', { name: 'Create worktree in acme' }).click();
  const create = ui.dialog('Create a worktree');
  await create.getByLabel('Branch').fill('feature-s');
  await create.getByRole('button', { name: 'Create worktree' }).click();
  await expect(create).toBeHidden();

  // At 800×600 the sidebar is the rail: its rows carry rule 13's tags as marks, their words in the name.
  const rail = page.locator('nav.rail');
  const axeRail = async () => {
    const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).setLegacyMode(true).include('nav.rail').analyze();
    expect(r.violations).toEqual([]);
  };
  await page.setViewportSize({ width: 800, height: 600 });
  await expect(rail).toBeVisible();
  await expect(ui.worktree('feature-s')).toHaveAccessibleName('feature-s: No workflow; setting up');
  await expect(ui.worktree('feature-s').locator('.rail-tags')).toHaveText('…');
  await axeRail();
  writeFileSync(go, '');
  await expect(ui.worktree('feature-s')).toHaveAccessibleName('feature-s: No workflow; setup failed');
  await expect(ui.worktree('feature-s').locator('.rail-tag.bad')).toHaveText('!');
  await axeRail();
  await page.setViewportSize({ width: 1360, height: 820 });

  const tools = page.getByRole('region', { name: 'Worktree setup and run' });
  await expect(tools.getByLabel('Setup status')).toHaveText('Setup: failed at step prepare');
  await expect(tools.getByLabel('Setup failure')).toHaveText(/^exited with code 3: prepare needs the fix/);
  await expect(tools.getByText('The worktree is kept as it is: fix the cause there, then Re-run setup (U).')).toBeVisible();
  // The setup's output opened by itself when the worktree was created, one line per line of output.
  const setupOutput = tools.getByRole('tabpanel', { name: 'Setup output' });
  await expect(setupOutput).toContainText('prepare needs the fix');
  expect(await setupOutput.innerText()).not.toMatch(/\n\s*\n/);
  await expect(ui.worktree('feature-s')).toContainText('setup failed');

  writeFileSync(fixed, '');
  await page.keyboard.press('u');
  await expect(tools.getByLabel('Setup status')).toHaveText('Setup: ready');
  await expect(tools.getByRole('tabpanel', { name: 'Setup output' })).toContainText('Setup completed');

  const [wt] = (await sy.rpc.call('worktrees.list', { repoId: (await sy.rpc.call('repos.list', {}))[0]!.id })).filter((w) => w.branch === 'feature-s');
  await page.keyboard.press('p');
  await expect(tools.getByLabel('Run status')).toHaveText('Run: running');
  await expect(tools.getByRole('tabpanel', { name: 'Run output' })).toContainText(`listening on ${wt!.portBase}`);
  expect(await (await fetch(`http://127.0.0.1:${wt!.portBase}/`)).text()).toBe(`ok ${wt!.path}`);
  await expect(tools.getByRole('button', { name: 'Stop run' })).toHaveAttribute('title', 'Stop the run command (P)');

  await page.setViewportSize({ width: 800, height: 600 });
  await expect(ui.worktree('feature-s')).toHaveAccessibleName('feature-s: No workflow; running');
  await axeRail();
  await ui.screenshot('worktree-setup-800x600');
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).setLegacyMode(true).include('.wt-tools').analyze();
  expect(axe.violations).toEqual([]);
  await page.setViewportSize({ width: 1360, height: 820 }); // the full sidebar again (800 wide shows the rail)

  await page.keyboard.press('p');
  await expect(tools.getByLabel('Run status')).toHaveText('Run: stopped');
  await expect(fetch(`http://127.0.0.1:${wt!.portBase}/`)).rejects.toThrow();

  // Hygiene: feature-a's work is merged into main; it is offered for removal and goes with Z.
  writeFileSync(join(sy.worktrees.a, 'done.txt'), 'shipped\n');
  git(sy.worktrees.a, 'add', 'done.txt');
  git(sy.worktrees.a, '-c', 'user.email=e2e@example.com', '-c', 'user.name=e2e', 'commit', '-q', '-m', 'done');
  git(sy.repo, 'merge', '-q', 'feature-a');
  await page.reload();
  await expect(ui.worktree('feature-a')).toContainText('merged');
  await expect(page.getByRole('button', { name: 'Remove 1 merged worktree of acme' })).toBeVisible();
  await page.setViewportSize({ width: 800, height: 600 });
  await expect(ui.worktree('feature-a')).toHaveAccessibleName('feature-a: No workflow; merged');
  await axeRail();
  await ui.screenshot('worktree-rail-merged-800x600');
  await page.setViewportSize({ width: 1360, height: 820 });
  await page.keyboard.press('z');
  await expect(ui.worktree('feature-a')).toHaveCount(0);
  await expect(ui.worktree('feature-b')).toBeVisible();
});
