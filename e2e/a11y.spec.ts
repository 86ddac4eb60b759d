// Accessibility: axe-core's WCAG 2.1 A/AA rules over every state of the window, in the light and
// the dark theme — the main view with a blocked and with a running workflow, the changed files,
// history, every dialog, the command palette, the `?` overlay, and the sidebar rail of a small
// window. Any serious or critical violation fails the test, listed with the elements it found.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test, type Ui } from './test';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Serious and critical violations on the page (or in one part of it) as it is now, one line per element. */
async function violations(page: Page, include?: string): Promise<string[]> {
  // Legacy mode runs axe in the page itself; the default opens a new page per scan to merge the
  // results of frames (the window has none), which tripled the time of each scan here.
  const builder = new AxeBuilder({ page }).withTags(TAGS).setLegacyMode(true);
  const result = await (include ? builder.include(include) : builder).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ').trim()}`));
}

/** Scans every state; returns the violations of each, keyed by state, so one run reports them all. */
async function scanAll(ui: Ui, page: Page): Promise<Record<string, string[]>> {
  const found: Record<string, string[]> = {};
  const scan = async (state: string, include?: string) => {
    const v = await violations(page, include);
    if (v.length > 0) found[state] = v;
  };
  // A modal dialog makes the rest of the page inert, and that rest is scanned in its own state.
  const dialog = async (key: string, name: string | RegExp, state: string) => {
    await page.keyboard.press(key);
    await expect(ui.dialog(name)).toBeVisible();
    await scan(state, 'dialog[open]');
    await page.keyboard.press('Escape');
    await expect(ui.dialog(name)).toBeHidden();
  };

  await ui.open();
  await scan('no workflow');
  await ui.start('feature-a', 'SW-90', { title: 'Accessible', pipeline: 'gated' });
  await expect(ui.status).toHaveText('Needs approval');
  await expect(page.getByRole('region', { name: 'Plan' })).toContainText('Plan for SW-90');
  await scan('blocked workflow');

  await dialog('?', 'Keyboard shortcuts', '? overlay');
  await dialog('Control+k', 'Command palette', 'command palette');
  await dialog('r', 'Reject the plan of SW-90', 'reject dialog');
  await dialog('c', /^Cancel SW-90/, 'cancel dialog');
  await dialog('n', 'Start a workflow', 'start dialog');
  await dialog('o', 'Add a repository', 'add repository dialog');
  await dialog('w', 'Create a worktree', 'create worktree dialog');
  await ui.worktree('feature-b').click();
  await dialog('Delete', /^Remove worktree/, 'remove worktree dialog');

  await ui.worktree('feature-a').click();
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(ui.status).toHaveText('Running');
  await expect(ui.stream.getByText('waiting for the gate')).toBeVisible();
  await scan('running workflow');
  await page.keyboard.press('d');
  await expect(page.getByRole('list', { name: 'Changed files' })).toBeAttached();
  await scan('changed files');

  await page.keyboard.press('h');
  await expect(page.getByRole('region', { name: 'History' }).getByRole('button', { name: /^Open SW-90/ })).toBeVisible();
  await scan('history');

  // A small window: the sidebar rail.
  await page.setViewportSize({ width: 800, height: 600 });
  await ui.worktree('feature-a').click();
  await expect(page.getByRole('button', { name: 'Expand the sidebar' })).toBeVisible();
  await scan('800x600 with the sidebar rail');
  return found;
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} theme`, () => {
    test.use({ colorScheme });

    test('no serious or critical axe violation in any state', async ({ ui, page }) => {
      // Fourteen axe runs: each takes seconds, more on a busy 2-core machine.
      test.setTimeout(240_000);
      expect(await scanAll(ui, page)).toEqual({});
    });
  });
}
