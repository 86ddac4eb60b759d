import { pidsWith } from './harness';
import { expect, test } from './test';

test('cancel from the button asks first, says what will be killed, and the agent process is gone', async ({ ui, sy, page }) => {
  await ui.open();
  await ui.start('feature-a', 'SW-5', { pipeline: 'hang' });
  await expect(ui.status).toHaveText('Running');
  await expect(ui.stream.getByText('hanging')).toBeVisible();
  await expect.poll(() => pidsWith(`${sy.marker}-SW-5`).length).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Cancel workflow' }).click();
  const dialog = ui.dialog('Cancel SW-5?');
  await expect(dialog).toContainText('The developer agent of stage "work"');
  await expect(dialog).toContainText('SIGTERM, then SIGKILL');
  await dialog.getByRole('button', { name: 'Keep running' }).click();
  await expect(dialog).toBeHidden();
  await expect(ui.status).toHaveText('Running');

  await page.getByRole('button', { name: 'Cancel workflow' }).click();
  await dialog.getByRole('button', { name: 'Cancel workflow' }).click();
  await expect(ui.status).toHaveText('Cancelled');
  await expect(ui.stream.getByRole('listitem').filter({ hasText: 'workflow cancelled' })).toBeVisible();
  await expect.poll(() => pidsWith(`${sy.marker}-SW-5`)).toEqual([]);
});

test('cancel from the keyboard; keys do nothing while typing in a field', async ({ ui, sy, page }) => {
  await ui.open();
  await ui.start('feature-b', 'SW-6', { pipeline: 'hang' });
  await expect(ui.status).toHaveText('Running');
  await expect.poll(() => pidsWith(`${sy.marker}-SW-6`).length).toBeGreaterThan(0);

  await page.keyboard.press('/');
  const search = page.getByRole('searchbox', { name: 'Search events' });
  await expect(search).toBeFocused();
  await page.keyboard.type('c');
  await expect(search).toHaveValue('c');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await search.fill('');
  await page.keyboard.press('Escape');
  await expect(search).not.toBeFocused();

  await page.keyboard.press('c');
  const dialog = ui.dialog('Cancel SW-6?');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Keep running' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Cancel workflow' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(ui.status).toHaveText('Cancelled');
  await expect.poll(() => pidsWith(`${sy.marker}-SW-6`)).toEqual([]);
});
