import type { Page } from '@playwright/test';
import { expect, test } from './test';

const statusBar = (ui: { page: Page }) => ui.page.getByRole('contentinfo', { name: 'Status bar' });

test('two worktrees run at once', async ({ ui }) => {
  await ui.open();
  await ui.start('feature-a', 'SW-10', { pipeline: 'hang' });
  await expect(ui.status).toHaveText('Running');
  await ui.start('feature-b', 'SW-11', { pipeline: 'hang' });
  await expect(ui.status).toHaveText('Running');
  await expect(ui.worktree('feature-a')).toContainText('RunningSW-10');
  await expect(ui.worktree('feature-b')).toContainText('RunningSW-11');
  await expect(statusBar(ui)).toContainText('Active 2 / 5');
});

test('at the limit: the core refuses in its own words, queue holds it, and it starts when a slot frees', async ({ ui, sy, page }) => {
  await sy.rpc.call('settings.set', { maxConcurrent: 1 });
  await ui.open();
  await ui.start('feature-a', 'SW-12', { pipeline: 'hang' });
  await expect(ui.status).toHaveText('Running');
  await expect(statusBar(ui)).toContainText('Active 1 / 1');

  // What the core says to anyone starting a second one now.
  const refusal = await sy.rpc.call('workflows.start', { worktreePath: sy.worktrees.b, issueId: 'PROBE', pipeline: 'hang' }).then(
    () => null,
    (e: Error) => e.message.replace(/^[A-Z_]+: /, ''),
  );
  expect(refusal).toBeTruthy();

  await ui.start('feature-b', 'SW-13', { pipeline: 'hang' });
  const dialog = ui.dialog('Start a workflow');
  await expect(dialog.getByRole('alert')).toHaveText(refusal!);
  await dialog.getByLabel('Queue if at the concurrency limit').check();
  await dialog.getByRole('button', { name: 'Start workflow' }).click();
  await expect(dialog).toBeHidden();
  await expect(ui.status).toHaveText('Queued');
  await expect(statusBar(ui)).toContainText('Queued 1');

  // Free the slot: SW-12 is cancelled, SW-13 starts by itself.
  await ui.worktree('feature-a').click();
  await page.keyboard.press('c');
  await ui.dialog('Cancel SW-12?').getByRole('button', { name: 'Cancel workflow' }).click();
  await expect(ui.worktree('feature-a')).toContainText('Cancelled');
  await expect(ui.worktree('feature-b')).toContainText('RunningSW-13');
  await expect(statusBar(ui)).toContainText('Queued 0');
  await expect(statusBar(ui)).toContainText('Active 1 / 1');
});
