import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './test';

test('create a worktree, and removal refusals shown in the core words until forced', async ({ ui, sy, page }) => {
  await ui.open();
  await page.getByRole('button', { name: 'Create worktree in acme' }).click();
  const create = ui.dialog('Create a worktree');
  await create.getByLabel('Branch').fill('feature-c');
  await create.getByRole('button', { name: 'Create worktree' }).click();
  await expect(create).toBeHidden();
  await expect(ui.worktree('feature-c')).toHaveAttribute('aria-current', 'page');

  // Refused while a workflow runs in it.
  await ui.start('feature-a', 'SW-40', { pipeline: 'hang' });
  await expect(ui.status).toHaveText('Running');
  await page.getByRole('button', { name: 'Remove worktree feature-a' }).click();
  const remove = ui.dialog('Remove worktree feature-a?');
  await remove.getByRole('button', { name: 'Remove worktree' }).click();
  const busy = await sy.rpc.call('worktrees.remove', { worktreePath: sy.worktrees.a }).then(() => 'removed', (e: Error) => e.message.replace(/^[A-Z_]+: /, ''));
  await expect(remove.getByRole('alert')).toHaveText(busy);
  await remove.getByRole('button', { name: 'Keep it' }).click();

  // Refused with uncommitted changes unless forced.
  writeFileSync(join(sy.worktrees.b, 'scratch.txt'), 'unsaved work\n');
  const dirty = await sy.rpc.call('worktrees.remove', { worktreePath: sy.worktrees.b }).then(() => 'removed', (e: Error) => e.message.replace(/^[A-Z_]+: /, ''));
  expect(dirty).not.toBe('removed');
  await ui.worktree('feature-b').click();
  await page.keyboard.press('Delete');
  const removeB = ui.dialog('Remove worktree feature-b?');
  await removeB.getByRole('button', { name: 'Remove worktree' }).click();
  await expect(removeB.getByRole('alert')).toHaveText(dirty);
  await removeB.getByLabel('Force: also discard uncommitted changes').check();
  await removeB.getByRole('button', { name: 'Remove worktree' }).click();
  await expect(removeB).toBeHidden();
  await expect(ui.worktree('feature-b')).toHaveCount(0);
});
