import { ACTIONS } from '../src/renderer/src/lib/keymap';
import { expect, test } from './test';

test('the whole flow from the keyboard alone', async ({ ui, page }) => {
  await ui.open();
  const nav = page.getByRole('navigation', { name: 'Repositories and worktrees' });
  const cursor = nav.locator('li.cursor');

  // Move the cursor and open a worktree.
  await expect(cursor).toContainText('main');
  await page.keyboard.press('j');
  await expect(cursor).toContainText('feature-a');
  await page.keyboard.press('ArrowDown');
  await expect(cursor).toContainText('feature-b');
  await page.keyboard.press('k');
  await expect(cursor).toContainText('feature-a');
  await page.keyboard.press('Enter');
  await expect(ui.worktree('feature-a')).toHaveAttribute('aria-current', 'page');

  // The shortcut overlay lists the keys.
  await page.keyboard.press('?');
  const help = ui.dialog('Keyboard shortcuts');
  await expect(help.getByRole('row', { name: /Approve the plan/ })).toContainText('A');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  // New workflow: the dialog opens with the issue id focused; Enter submits.
  await page.keyboard.press('n');
  const dialog = ui.dialog('Start a workflow');
  await expect(dialog.getByLabel('Issue id')).toBeFocused();
  await page.keyboard.type('SW-30');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Keyboard only');
  await expect(dialog.getByLabel('Pipeline', { exact: true })).toHaveValue('default');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(ui.status).toHaveText('Needs approval');

  // Approve with a.
  await page.keyboard.press('a');
  await expect(ui.status).toHaveText('Completed');

  // A second one on the other worktree, rejected with r (Ctrl+Enter submits the feedback).
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await page.keyboard.press('n');
  const second = ui.dialog('Start a workflow');
  await expect(second.getByLabel('Issue id')).toBeFocused();
  await page.keyboard.type('SW-31');
  await page.keyboard.press('Enter');
  await expect(second).toBeHidden();
  await expect(ui.status).toHaveText('Needs approval');
  await page.keyboard.press('r');
  const reject = ui.dialog('Reject the plan of SW-31');
  await expect(reject.getByLabel('Feedback (required)')).toBeFocused();
  await page.keyboard.type('Not this way');
  await page.keyboard.press('Control+Enter');
  await expect(ui.status).toHaveText('Failed');

  // The changed files with d, the events with e, the history through the command palette.
  await page.keyboard.press('d');
  await expect(page.getByRole('tab', { name: 'Changed files' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('e');
  await expect(page.getByRole('tab', { name: 'Events' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Control+k');
  const palette = ui.dialog('Command palette');
  // Every action but the palette itself (read from the one table, so a new action needs no edit here).
  await expect(palette.getByRole('option')).toHaveCount(ACTIONS.filter((a) => a.id !== 'palette').length);
  await page.keyboard.type('hist');
  await expect(palette.getByRole('option')).toHaveText([/History/]);
  await page.keyboard.press('Enter');
  const history = page.getByRole('region', { name: 'History' });
  await expect(history.getByRole('button', { name: /^Open SW-3[01]/ })).toHaveCount(2);

  // Back to a worktree with the cursor keys.
  await page.keyboard.press('Enter');
  await expect(ui.header.getByRole('heading')).toHaveText('SW-31');
});
