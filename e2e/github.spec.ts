// Rule 12 in the window: pick a GitHub issue → its worktree and workflow appear; ship → the PR
// link shows; its checks show, and a failing one goes back to the agent with F. GitHub is the
// REST stand-in on 127.0.0.1 (src/main/core/testing/githubStandIn.ts), the push goes to a bare
// repository on disk: nothing here needs the network.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startGitHubStandIn, type GitHubStandIn } from '../src/main/core/testing/githubStandIn';
import { expect, test } from './test';

const TOKEN = 'ghp_e2e_standin_token';
test.use({ serverEnv: { GH_TOKEN: TOKEN } });

/** Serious or critical WCAG 2.1 A/AA violations of the window as it is now (as a11y.spec.ts counts them). */
async function axe(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).setLegacyMode(true).analyze();
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

let gh: GitHubStandIn;
test.beforeEach(async () => {
  gh = await startGitHubStandIn({
    token: TOKEN,
    owner: 'acme',
    repo: 'acme',
    issues: [
      { number: 42, title: 'Add a greeting', body: 'Say hello in README.md.', labels: ['enhancement'] },
      { number: 43, title: 'Fix the footer', body: 'The footer overlaps.' },
    ],
  });
});
test.afterEach(async () => gh.close());

test('issue → worktree and workflow → ship → PR link and checks → a failing check back to the agent', async ({ ui, sy, page }) => {
  const bare = join(sy.dir, 'origin.git');
  execFileSync('git', ['init', '-q', '--bare', bare]);
  execFileSync('git', ['-C', sy.repo, 'remote', 'add', 'origin', 'https://github.com/acme/acme.git']);
  execFileSync('git', ['-C', sy.repo, 'config', 'remote.origin.pushurl', bare]);
  await sy.rpc.call('settings.set', { githubApiUrl: gh.url });
  gh.checks.set('*', [
    { name: 'build', status: 'completed', conclusion: 'success' },
    { name: 'unit tests', status: 'completed', conclusion: 'failure', title: '1 test failed', summary: 'greeting.test: expected "Hello"' },
  ]);

  await ui.open();
  await page.keyboard.press('i');
  const dialog = ui.dialog('Start from a GitHub issue');
  await expect(dialog.getByRole('option')).toHaveCount(2);
  await dialog.getByLabel('Search issues').fill('greet');
  await expect(dialog.getByRole('option')).toHaveText([/#42 Add a greeting/]);
  await ui.screenshot('github-issues');
  expect(await axe(page)).toEqual([]);
  await page.keyboard.press('Enter');

  const branch = 'issue-42-add-a-greeting';
  await expect(ui.worktree(branch)).toBeVisible();
  await expect(ui.header.getByRole('heading')).toHaveText('#42Add a greeting');
  await expect(ui.status).toHaveText('Needs approval');
  await page.keyboard.press('a');
  await expect(ui.header.locator('.badge[data-status]')).toHaveText('Completed');

  await page.getByRole('button', { name: 'Ship', exact: true }).click();
  const link = ui.header.getByRole('link', { name: /PR #1001/ });
  await expect(link).toHaveAttribute('href', 'https://github.com/acme/acme/pull/1001');
  await expect(ui.header.getByText('checks failing')).toBeVisible();
  await expect(ui.worktree(branch)).toContainText('PR #1001 · checks failing');
  await expect(ui.stream.getByText('Opened pull request #1001')).toBeVisible();
  // The commit really is in origin, with the issue's message.
  expect(execFileSync('git', ['-C', bare, 'log', '-1', '--format=%B', branch], { encoding: 'utf8' })).toMatch(/^Add a greeting\n\nCloses #42\n/);
  await ui.screenshot('github-shipped');
  expect(await axe(page)).toEqual([]);
  if (process.env.SWITCHYARD_WRITE_DOCS === '1') {
    const docs = resolve(import.meta.dirname, '../docs/screenshots');
    mkdirSync(docs, { recursive: true });
    copyFileSync(resolve(import.meta.dirname, '../test-results/screenshots/github-shipped.png'), join(docs, 'github-loop.png'));
  }

  // At 800×600 the PR and its checks still show, and Ship and Fix stay reachable.
  await page.setViewportSize({ width: 800, height: 600 });
  await expect(link).toBeInViewport();
  await expect(page.getByRole('button', { name: 'Fix failing checks' })).toBeInViewport();
  // The sidebar is the rail there: the worktree's button names its PR and checks, and marks them.
  const rail = page.getByRole('navigation', { name: 'Repositories and worktrees' });
  await expect(rail.getByRole('button', { name: 'Expand the sidebar' })).toBeVisible();
  const railRow = rail.getByRole('button', { name: `${branch}: Completed #42; PR #1001 open, checks failing` });
  await expect(railRow).toBeInViewport();
  await expect(railRow.locator('.rail-pr')).toHaveText('PR✗');
  await ui.screenshot('github-800x600');
  expect(await axe(page)).toEqual([]);

  await page.keyboard.press('f');
  await expect(ui.header.getByRole('heading')).toContainText('Fix failing checks: unit tests');
  const fix = (await sy.rpc.call('workflows.list', { limit: 1 })).items[0]!;
  expect(fix.description).toContain('### unit tests\n1 test failed: greeting.test: expected "Hello"');
});

test('a non-GitHub origin: the issue list says so, in the window', async ({ ui, sy, page }) => {
  execFileSync('git', ['-C', sy.repo, 'remote', 'add', 'origin', 'git@gitlab.com:acme/acme.git']);
  await ui.open();
  await page.keyboard.press('i');
  await expect(ui.dialog('Start from a GitHub issue').getByRole('alert')).toContainText('is not a GitHub repository');
});
