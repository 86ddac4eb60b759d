import { writeFileSync } from 'node:fs';
import { expect, test } from './test';

test('start → live events in order → approve → stages run → completed, with changes and a notification', async ({ ui, sy, page }) => {
  // Record web notifications instead of showing them (the page runs as the websocket build).
  await page.addInitScript(() => {
    const shown: Array<{ title: string; body: string; n: { onclick: (() => void) | null } }> = [];
    class FakeNotification {
      static permission = 'granted';
      static requestPermission = async () => 'granted';
      onclick: (() => void) | null = null;
      constructor(title: string, options: { body: string }) {
        shown.push({ title, body: options.body, n: this });
      }
      close() {}
    }
    Object.assign(globalThis, { Notification: FakeNotification, __notifications: shown });
  });
  await ui.open();
  await ui.screenshot('idle');

  await ui.start('feature-a', 'SW-1', { title: 'Add a greeting', pipeline: 'gated' });
  await expect(ui.header.getByRole('heading')).toHaveText('SW-1Add a greeting');
  await expect(ui.status).toHaveText('Needs approval');
  const plan = page.getByRole('region', { name: 'Plan' });
  // The plan is markdown: its "# " line a heading under the panel's, its numbered lines a list.
  await expect(plan.getByRole('heading', { name: 'Plan for SW-1: Add a greeting', level: 3 })).toBeVisible();
  await expect(plan.getByRole('listitem')).toHaveText(['Change README.md', 'Add src/new.txt', 'Remove old.txt']);
  await expect(page.getByRole('listitem').filter({ hasText: 'approval required' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Stages' }).locator('[aria-current=step]')).toContainText('approve');
  await expect.poll(() => page.evaluate(() => (globalThis as unknown as { __notifications: Array<{ title: string }> }).__notifications.map((n) => n.title))).toEqual(['Approval needed: SW-1']);
  await ui.screenshot('waiting-for-approval');

  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(ui.status).toHaveText('Running');
  await expect(page.getByRole('region', { name: 'Plan' })).toBeHidden();
  await expect(ui.stream.getByText('waiting for the gate')).toBeVisible();
  await ui.screenshot('running');

  writeFileSync(sy.gate('SW-1'), 'go');
  await expect(ui.status).toHaveText('Completed');
  await expect(ui.worktree('feature-a')).toContainText('Completed');

  // The stream equals the core's log: every sequence once, in order, with the same messages.
  const events = await sy.rpc.allEvents((await sy.rpc.call('workflows.list', { worktreePath: sy.worktrees.a })).items[0]!.id);
  expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['workflow_started', 'approval_granted', 'workflow_completed']));
  await expect(ui.stream).toHaveAttribute('data-count', String(events.length));
  const rendered = await ui.renderedSequences();
  expect([...rendered.keys()]).toEqual(events.map((e) => e.sequence));
  expect([...rendered.values()]).toEqual(events.map((e) => e.message));
  const started = events.filter((e) => e.type === 'stage_started').map((e) => (e.data as { stage: string }).stage);
  expect(started.filter((s) => s !== 'approve')).toEqual(['plan', 'implement', 'review']);

  // The completion was notified too, and clicking a notification opens its workflow.
  await expect.poll(() => page.evaluate(() => (globalThis as unknown as { __notifications: Array<{ title: string }> }).__notifications.map((n) => n.title))).toContain('Completed: SW-1');
  await ui.worktree('feature-b').click();
  await expect(page.getByText('No workflow has run in this worktree yet.')).toBeVisible();
  await page.evaluate(() => (globalThis as unknown as { __notifications: Array<{ n: { onclick: () => void } }> }).__notifications[0]!.n.onclick());
  await expect(ui.header.getByRole('heading')).toHaveText('SW-1Add a greeting');

  // Changed files and the diff of one of them.
  await page.getByRole('tab', { name: 'Changed files' }).click();
  const files = page.getByRole('list', { name: 'Changed files' });
  await expect(files.getByRole('button')).toHaveCount(3);
  await files.getByRole('button', { name: /README\.md/ }).click();
  await expect(page.getByRole('region', { name: 'Diff of README.md' })).toContainText('+# Changed by SW-1');
  await ui.screenshot('diff');
});

test('reject with feedback fails the workflow and shows the reason', async ({ ui, page }) => {
  await ui.open();
  await ui.start('feature-a', 'SW-2', { title: 'Risky change' });
  await expect(ui.status).toHaveText('Needs approval');
  await page.getByRole('button', { name: 'Reject', exact: true }).click();
  const dialog = ui.dialog('Reject the plan of SW-2');
  await expect(dialog.getByRole('button', { name: 'Reject' })).toBeDisabled();
  await dialog.getByLabel('Feedback (required)').fill('Too risky: touches the billing code');
  await dialog.getByRole('button', { name: 'Reject' }).click();
  await expect(dialog).toBeHidden();
  await expect(ui.status).toHaveText('Failed');
  await expect(page.getByLabel('Failure reason')).toContainText('Too risky: touches the billing code');
  await expect(page.getByRole('list', { name: 'Stages' })).toContainText('approve: stopped here');
  await ui.screenshot('failed');
  // The dark theme follows the system.
  const background = () => page.locator('body').evaluate((body) => body.ownerDocument.defaultView!.getComputedStyle(body).backgroundColor);
  const lightBg = await background();
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(background).not.toBe(lightBg);
  await ui.screenshot('failed-dark');
});

test('reject with replan sends it back to the plan stage, which runs again with the feedback', async ({ ui, page }) => {
  await ui.open();
  await ui.start('feature-b', 'SW-3', { title: 'Big refactor' });
  await expect(ui.status).toHaveText('Needs approval');
  await page.getByRole('button', { name: 'Reject', exact: true }).click();
  const dialog = ui.dialog('Reject the plan of SW-3');
  await dialog.getByLabel('Feedback (required)').fill('Split it into two steps');
  await dialog.getByLabel(/Replan/).check();
  await dialog.getByRole('button', { name: 'Reject and replan' }).click();
  await expect(page.getByRole('region', { name: 'Plan' })).toContainText('Addresses feedback: Split it into two steps');
  await expect(ui.status).toHaveText('Needs approval');
  await expect(ui.stream.getByRole('listitem').filter({ hasText: 'revision requested' })).toBeVisible();
});
