// Tool approvals in the window (rule 11): an agent (test/fixtures/agents/claude-asks.mjs, speaking Claude
// Code's stdio permission protocol) asks before two Bash commands; the request shows with its
// command, "Needs you" shows in the header, the sidebar and the status bar, and it is answered by
// mouse (Allow) and by key (X, a message, Ctrl+Enter); axe-clean at 800×600.
import AxeBuilder from '@axe-core/playwright';
import { Ui, expect, test } from './test';

test('a pending tool request: shown, answered by mouse and by key, at 800×600, axe-clean', async ({ ui, sy, page }) => {
  await ui.open();
  await ui.start('feature-a', 'T-1', { pipeline: 'asks' });
  const panel = page.getByRole('region', { name: 'Tool requests' });
  await expect(panel.locator('.tool-request')).toHaveCount(1);
  await expect(panel).toContainText('Bash: npm test');
  await expect(ui.status).toHaveText('Needs you');
  await expect(ui.worktree('feature-a')).toContainText('Needs you');
  await expect(page.getByTestId('needs-you-count')).toHaveText('1 needs you (tool request)');
  // Every action says its key.
  await expect(panel.getByRole('button', { name: 'Allow', exact: true })).toHaveAttribute('title', 'Allow once (Y)');
  await expect(panel.getByRole('button', { name: 'Allow always for this repository' })).toHaveAttribute('title', /\(Shift\+Y\)$/);
  await expect(panel.getByRole('button', { name: 'Deny…' })).toHaveAttribute('title', /\(X\)$/);
  // The same request, as the core has it; a second window shows it at once, and it survives a reload.
  const [w] = await sy.rpc.call('workflows.active', {});
  expect(w!.pendingPermissions.map((p) => p.summary)).toEqual(['Bash: npm test']);
  const second = new Ui(await page.context().newPage(), sy);
  await second.open();
  await second.worktree('feature-a').click();
  await expect(second.page.getByRole('region', { name: 'Tool requests' })).toContainText('Bash: npm test');
  await second.page.close();
  await page.reload();
  await ui.worktree('feature-a').click();
  await expect(panel).toContainText('Bash: npm test');

  // The event row of the request shows it too, with the same answers while it waits.
  const row = ui.stream.locator('.ev-permission_requested').filter({ hasText: 'Bash: npm test' });
  await expect(row.getByRole('button', { name: 'Allow always' })).toBeVisible();
  // It is the oldest waiting request, so its row names the keys too.
  await expect(row.getByRole('button', { name: 'Allow', exact: true })).toHaveAttribute('title', 'Allow once (Y)');
  await expect(row.getByRole('button', { name: 'Deny…' })).toHaveAttribute('title', /\(X\)$/);

  await panel.getByRole('button', { name: 'Allow', exact: true }).click();
  await expect(panel).toContainText('Bash: make deploy');
  await expect(row.getByRole('button')).toHaveCount(0);

  await page.setViewportSize({ width: 800, height: 600 });
  await expect(panel).toBeVisible();
  // The collapsed sidebar (a rail at this size) says it too, in words for screen readers.
  await expect(page.getByRole('button', { name: /^feature-a: Needs you T-1/ })).toBeVisible();
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).setLegacyMode(true).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  await ui.screenshot('tool-request-800x600');

  // By key: X opens the deny dialog for the oldest request; the message goes to the agent.
  await page.keyboard.press('x');
  const dialog = ui.dialog('Deny the tool request');
  await expect(dialog).toContainText('Bash: make deploy');
  await dialog.getByLabel('Message for the agent (optional)').fill('not from here');
  await page.keyboard.press('Control+Enter');
  await expect(ui.status).toHaveText('Completed');
  await expect(panel).toHaveCount(0);
  await expect(page.getByTestId('needs-you-count')).toHaveCount(0);
  await expect(ui.stream).toContainText('Denied Bash: make deploy: not from here');
  await expect(ui.stream).toContainText('Allowed Bash: npm test');
});

test('keys act on the oldest request (Y, the palette); "Allow always" from the event row; the rule is listed and forgotten in the settings', async ({ ui, page }) => {
  await ui.open();
  await ui.start('feature-a', 'T-2', { pipeline: 'asks' });
  const panel = page.getByRole('region', { name: 'Tool requests' });
  await expect(panel).toContainText('Bash: npm test');
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: /Keyboard shortcuts/ });
  await expect(help).toContainText('Allow the tool request');
  await expect(help).toContainText('Allow always for this repository');
  await expect(help).toContainText('Deny the tool request');
  await page.keyboard.press('Escape');
  await page.keyboard.press('y');
  await expect(panel).toContainText('Bash: make deploy');
  await page.keyboard.press('Control+k');
  await page.keyboard.type('deny the tool');
  await page.keyboard.press('Enter');
  const deny = ui.dialog('Deny the tool request');
  await expect(deny).toContainText('Bash: make deploy');
  await deny.getByRole('button', { name: 'Back' }).click();
  await ui.stream.locator('.ev-permission_requested').filter({ hasText: 'Bash: make deploy' }).getByRole('button', { name: 'Allow always' }).click();
  await expect(ui.status).toHaveText('Completed');
  await expect(ui.stream).toContainText('Allowed Bash: make deploy (remembered for the repository as Bash(make deploy))');

  await page.keyboard.press(',');
  const rules = ui.dialog('Settings').getByRole('region', { name: 'Remembered tool rules' });
  await expect(rules.locator('code')).toHaveText(['Bash(make deploy)']);
  await rules.getByRole('button', { name: /^Forget Bash\(make deploy\)/ }).click();
  await expect(rules.locator('code')).toHaveCount(0);
  await expect(rules).toContainText('None yet');
});
