import { expect, test } from './test';
import type { Switchyard } from './harness';

/** Runs the `quick` pipeline to completion on a worktree, through the core. */
async function quick(sy: Switchyard, worktreePath: string, issueId: string): Promise<void> {
  const w = await sy.rpc.call('workflows.start', { worktreePath, issueId, title: `Quick ${issueId}`, pipeline: 'quick' });
  await expect.poll(async () => (await sy.rpc.call('workflows.get', { workflowId: w.id })).status, { intervals: [20, 50, 100] }).toBe('completed');
}

test('history: filters, cursor paging, and any workflow opens read-only', async ({ ui, sy, page }) => {
  for (let i = 1; i <= 27; i++) await quick(sy, sy.worktrees.a, `H-${i}`);
  const hung = await sy.rpc.call('workflows.start', { worktreePath: sy.worktrees.b, issueId: 'H-B', title: 'Cancelled one', pipeline: 'hang' });
  await sy.rpc.call('workflows.cancel', { workflowId: hung.id, reason: 'not needed' });

  await ui.open();
  await page.getByRole('button', { name: 'History' }).click();
  const history = page.getByRole('region', { name: 'History' });
  const rows = history.getByRole('row');
  await expect(rows).toHaveCount(1 + 25); // header + the first page
  await expect(rows.nth(1)).toContainText('H-B');
  await ui.screenshot('history');
  await history.getByRole('button', { name: 'Load more' }).click();
  await expect(rows).toHaveCount(1 + 28);
  await expect(history.getByRole('button', { name: 'Load more' })).toBeHidden();

  await history.getByLabel('Filter by status').selectOption('cancelled');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText('Cancelled');
  await history.getByLabel('Filter by status').selectOption('');
  await history.getByLabel('Filter by worktree').selectOption(sy.worktrees.b);
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText('H-B');

  await history.getByRole('button', { name: 'Open H-B Cancelled one' }).click();
  await expect(ui.header.getByRole('heading')).toHaveText('H-BCancelled one');
  await expect(ui.header).toContainText('read-only');
  await expect(page.getByRole('button', { name: 'Approve', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Cancel workflow' })).toHaveCount(0);
  await expect(ui.stream.getByRole('listitem').filter({ hasText: 'not needed' })).toBeVisible();
});
