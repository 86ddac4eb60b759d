// The settings screen against the headless server: opened by `,`, the palette and its button;
// a change is saved with settings.set and still there after a reload; a bad value is refused
// beside its field (by the window's check, and by the server's) and changes nothing; Reset
// brings the default back; every control is reachable by Tab; axe finds nothing; it fits 800×600.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { DEFAULT_SETTINGS } from '../src/shared/settings';
import { expect, test, type Ui } from './test';

async function openWithKey(ui: Ui, page: Page) {
  await page.keyboard.press(',');
  const dialog = ui.dialog('Settings');
  await expect(dialog.getByLabel('Concurrent workflows', { exact: true })).toBeFocused();
  return dialog;
}

test('change, save, reload, refuse a bad value, reset to the default', async ({ ui, page, sy }) => {
  await ui.open();
  let dialog = await openWithKey(ui, page);
  await expect(dialog.getByLabel('Concurrent workflows', { exact: true })).toHaveValue('5');
  await expect(dialog.getByLabel('Budget per workflow', { exact: true })).toHaveValue('');
  await expect(dialog.getByLabel('Budget per workflow', { exact: true })).toHaveAttribute('placeholder', 'No limit');

  await dialog.getByLabel('Concurrent workflows', { exact: true }).fill('3');
  await dialog.getByLabel('Budget per workflow', { exact: true }).fill('2.50');
  await expect(dialog.getByText('2 changed')).toBeVisible();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  expect(await sy.rpc.call('settings.get', {})).toEqual({ ...DEFAULT_SETTINGS, maxConcurrent: 3, workflowBudgetUsd: 2.5 });
  await expect(page.getByTestId('active-count')).toHaveText('Active 0 / 3');

  await page.reload();
  await expect(page.getByRole('status', { name: /Connection/ })).toHaveText('Connected');
  dialog = await openWithKey(ui, page);
  await expect(dialog.getByLabel('Concurrent workflows', { exact: true })).toHaveValue('3');
  await expect(dialog.getByLabel('Budget per workflow', { exact: true })).toHaveValue('2.5');

  // Out of range: the field says why, Save changes nothing.
  const before = await sy.rpc.call('settings.get', {});
  const concurrent = dialog.getByLabel('Concurrent workflows', { exact: true });
  await concurrent.fill('0');
  await expect(concurrent).toHaveAttribute('aria-invalid', 'true');
  await expect(concurrent).toHaveAccessibleDescription(/^Enter a whole number from 1 to 100 workflows\./);
  await dialog.getByLabel('Pipeline presets', { exact: true }).fill('{"bad name!": {}}');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Not saved: correct the values marked below.');
  await expect(concurrent).toBeFocused();
  await expect(dialog.getByLabel('Pipeline presets', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  expect(await sy.rpc.call('settings.get', {})).toEqual(before);

  // Reset: the defaults come back into the fields, and Save stores them.
  await dialog.getByRole('button', { name: /^Reset Concurrent workflows to the default: 5 workflows$/ }).click();
  await expect(concurrent).toHaveValue('5');
  await expect(concurrent).not.toHaveAttribute('aria-invalid');
  await dialog.getByRole('button', { name: /^Reset Budget per workflow/ }).click();
  await expect(dialog.getByLabel('Budget per workflow', { exact: true })).toHaveValue('');
  await dialog.getByRole('button', { name: /^Reset Pipeline presets/ }).click();
  await expect(dialog.getByRole('button', { name: /^Reset Concurrent workflows/ })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  expect(await sy.rpc.call('settings.get', {})).toEqual(DEFAULT_SETTINGS);

  // Escape closes without saving.
  dialog = await openWithKey(ui, page);
  await dialog.getByLabel('Concurrent workflows', { exact: true }).fill('9');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(await sy.rpc.call('settings.get', {})).toEqual(DEFAULT_SETTINGS);
});

test("the server's refusal is shown beside its field", async ({ ui, page, sy }) => {
  // A window older or newer than its server could send what the server refuses: stand in for it
  // by rewriting the window's settings.set on its way, so the real server answers INVALID_INPUT.
  await page.routeWebSocket(/\/ws|token=/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      const text = typeof message === 'string' ? message : message.toString();
      server.send(text.includes('"settings.set"') ? text.replace('"retentionDays":45', '"retentionDays":4500') : text);
    });
  });
  await ui.open();
  const dialog = await openWithKey(ui, page);
  const retention = dialog.getByLabel('Keep events for', { exact: true });
  await retention.fill('45');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Not saved: Switchyard refused the value marked below.');
  await expect(retention).toHaveAttribute('aria-invalid', 'true');
  await expect(retention).toHaveAccessibleDescription(/^Too big: expected number to be <=3650/);
  await expect(retention).toBeFocused();
  expect(await sy.rpc.call('settings.get', {})).toEqual(DEFAULT_SETTINGS);
});

test('opened from the palette and from its button; every control reachable by Tab; no axe violation', async ({ ui, page }) => {
  await ui.open();
  await page.keyboard.press('Control+k');
  await page.keyboard.type('settings');
  await expect(page.getByRole('option', { name: /^Settings/ })).toContainText(',');
  await page.keyboard.press('Enter');
  const dialog = ui.dialog('Settings');
  await expect(dialog.getByLabel('Concurrent workflows', { exact: true })).toBeFocused();
  await page.keyboard.press('Escape');

  const button = page.getByRole('navigation', { name: 'Repositories and worktrees' }).getByRole('button', { name: 'Settings' });
  await expect(button).toHaveAttribute('title', 'Settings (,)');
  await button.click();
  await expect(dialog.getByLabel('Concurrent workflows', { exact: true })).toBeFocused();

  // Tab visits every enabled control of the form once, in order, and reaches Save.
  const controls = await dialog.locator('input, textarea, button:not([disabled])').evaluateAll((els) => els.map((e) => e.id || e.textContent));
  const visited: string[] = [];
  for (let i = 0; i < controls.length; i++) {
    visited.push(await page.locator(':focus').evaluate((e) => e.id || e.textContent));
    await page.keyboard.press('Tab');
  }
  expect(visited).toEqual(controls);

  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).setLegacyMode(true).include('dialog[open]').analyze();
    expect(result.violations.map((v) => `${colorScheme}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
  // With an error on show, too.
  await dialog.getByLabel('Concurrent workflows', { exact: true }).fill('-1');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('alert')).toBeVisible();
  await ui.screenshot('settings-error');
  const withError = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).setLegacyMode(true).include('dialog[open]').analyze();
  expect(withError.violations.map((v) => v.id)).toEqual([]);
});

test.describe('at 800×600', () => {
  test.use({ viewport: { width: 800, height: 600 } });

  test('the screen fits: no sideways scrolling, the buttons on screen, the fields scroll', async ({ ui, page }) => {
    await ui.open();
    await page.getByRole('navigation', { name: 'Repositories and worktrees' }).getByRole('button', { name: 'Settings' }).click();
    const dialog = ui.dialog('Settings');
    await expect(dialog.getByLabel('Concurrent workflows', { exact: true })).toBeFocused();
    await ui.screenshot('settings-800x600');
    const box = (await dialog.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(800);
    expect(box.y + box.height).toBeLessThanOrEqual(600);
    await expect(dialog.getByRole('button', { name: 'Save' })).toBeInViewport();
    const fields = await dialog.locator('.settings-fields').evaluate((el) => ({ sw: el.scrollWidth, cw: el.clientWidth, sh: el.scrollHeight, ch: el.clientHeight }));
    expect(fields.sw, 'no sideways scrolling in the form').toBeLessThanOrEqual(fields.cw);
    const page_ = await page.locator('html').evaluate((html) => ({ sw: html.scrollWidth, cw: html.clientWidth }));
    expect(page_.sw).toBeLessThanOrEqual(page_.cw);
    await dialog.getByLabel('Notifications', { exact: true }).focus();
    await ui.screenshot('settings-800x600-middle');
    // The last field is reached by scrolling the form, not the page.
    await dialog.getByLabel('Pipeline presets', { exact: true }).focus();
    await expect(dialog.getByLabel('Pipeline presets', { exact: true })).toBeInViewport();
    await expect(dialog.getByRole('button', { name: 'Save' })).toBeInViewport();
    await page.emulateMedia({ colorScheme: 'dark' });
    await ui.screenshot('settings-800x600-dark');
  });
});
