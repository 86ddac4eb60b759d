// The window shows what a structured agent does (issue #13): the stages of the `streamed` pipeline
// print Claude Code stream-json (e2e/fixtures/claude-stream.mjs), which the core turns into
// agent_message, tool_call, tool_result, usage and retry events.
import { writeFileSync } from 'node:fs';
import type { Locator } from '@playwright/test';
import { expect, test } from './test';

/** The computed colour of `var(--name)` in the page, to compare with an element's colour. */
const themeColour = (anywhere: Locator, name: string) =>
  anywhere.evaluate((el, v) => {
    const probe = el.ownerDocument.createElement('span');
    probe.style.color = `var(${v})`;
    el.ownerDocument.body.append(probe);
    const colour = el.ownerDocument.defaultView!.getComputedStyle(probe).color;
    probe.remove();
    return colour;
  }, name);

test('a structured agent stream: markdown plan, messages, tool rows that open, retries, cost', async ({ ui, sy, page }) => {
  await ui.open();
  await ui.start('feature-a', 'S-1', { title: 'Stream it', pipeline: 'streamed' });

  // The plan is the CLI's answer rendered as markdown, not its JSON stream and not raw HTML.
  const plan = page.getByRole('region', { name: 'Plan' });
  await expect(plan.getByRole('heading', { name: 'Plan', level: 4 })).toBeVisible();
  await expect(plan.getByRole('listitem')).toHaveCount(2);
  await expect(plan.locator('pre code')).toHaveText('cat hello.txt');
  await expect(plan).toContainText('<b>not bold</b>');
  await expect(plan.locator('b')).toHaveCount(0);
  // A link in agent text never navigates the window: it opens apart (here a new tab, without an opener).
  const link = plan.getByRole('link', { name: 'the guide' });
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  const before = page.url();
  const popup = page.waitForEvent('popup');
  await link.click();
  const tab = await popup;
  expect(await tab.evaluate(() => (globalThis as unknown as { opener: unknown }).opener)).toBeNull();
  await tab.close();
  expect(page.url()).toBe(before);
  await expect(plan).not.toContainText('"type"');
  // The plan stage's cost, in the header.
  await expect(ui.header).toContainText('$0.0123');
  await ui.screenshot('agent-plan');

  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  const stream = ui.stream;
  // While implement runs (it waits for the gate after its tool calls), its activity is there.
  const message = stream.locator('.ev-agent_message').filter({ hasText: 'I will create the file' });
  await expect(message.getByRole('listitem')).toHaveText(['write the greeting', 'then check it']);
  await expect(message.locator('pre code')).toHaveText('cat hello.txt');

  const write = stream.getByRole('button', { name: /Write.*hello\.txt/ }).first();
  await expect(write).toHaveAttribute('aria-expanded', 'false');
  await write.focus();
  await page.keyboard.press('Enter');
  await expect(write).toHaveAttribute('aria-expanded', 'true');
  await expect(stream.getByLabel('Write input')).toContainText('content: Hello');
  await page.keyboard.press('Enter');
  await expect(write).toHaveAttribute('aria-expanded', 'false');
  await expect(stream.getByLabel('Write input')).toHaveCount(0);

  const failed = stream.locator('.ev-tool_result').filter({ hasText: 'failed:' });
  await expect(failed).toHaveCount(1);
  await expect(failed.locator('.tool-mark')).toHaveText('✗');
  await expect(stream.locator('.ev-tool_result').filter({ hasText: 'succeeded:' }).first()).toBeVisible();
  await failed.getByRole('button').click();
  await expect(stream.getByLabel('Bash output')).toContainText('No such file or directory');
  // The list unmounts rows scrolled out of view; an opened row is still open when it comes back.
  // A scroll can race a batch that is still being measured (rows above re-measure and move the
  // offset), so scroll to the top again until the first row is really drawn.
  await expect(async () => {
    await stream.evaluate((el) => (el.scrollTop = 0));
    await expect(stream.locator('.ev-row[data-seq="1"]')).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(failed).toHaveCount(0);
  await stream.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(failed.getByRole('button')).toHaveAttribute('aria-expanded', 'true');
  await expect(stream.getByLabel('Bash output')).toContainText('No such file or directory');

  const retry = stream.locator('.ev-system_warning .ev-msg').first();
  await expect(retry).toContainText(/529/);
  await expect(retry).toHaveCSS('color', await themeColour(retry, '--warn'));
  // A line that is not JSON is kept as agent output.
  await expect(stream.locator('.ev-agent_output').filter({ hasText: 'this line is not JSON' })).toBeVisible();
  // The file the tool call wrote is reported like any file change.
  await expect(stream.locator('.ev-file_created').filter({ hasText: 'hello.txt' }).first()).toBeVisible();
  await ui.screenshot('agent-stream');

  // The type filter knows the new types, alone and as 'agent activity'.
  const type = page.getByLabel('Filter by type');
  await type.selectOption({ label: 'tool call' });
  const rows = stream.locator('.ev-row');
  await expect(rows.first()).toHaveClass(/ev-tool_call/);
  expect(await rows.evaluateAll((items) => items.every((i) => i.classList.contains('ev-tool_call')))).toBe(true);
  await type.selectOption({ label: 'agent activity' });
  await expect(stream.locator('.ev-agent_message').first()).toBeVisible();
  expect(await rows.evaluateAll((items) => items.every((i) => /ev-(agent_message|tool_call|tool_result)\b/.test(i.className)))).toBe(true);
  await type.selectOption({ label: 'All types' });

  // The stage finishes: the cost of both stages in the header, then in the history.
  writeFileSync(sy.gate('S-1'), '');
  await expect(ui.status).toHaveText(/Completed/);
  await expect(ui.header).toContainText('$0.5123');
  await expect(stream.locator('.ev-agent_message').filter({ hasText: 'Done: hello.txt is written.' })).toBeVisible();
  const w = await sy.rpc.call('workflows.byWorktree', { worktreePath: sy.worktrees.a });
  expect(w).toBeNull();
  await page.getByRole('button', { name: 'History' }).click();
  const history = page.getByRole('region', { name: 'History' });
  await expect(history.getByRole('row').filter({ hasText: 'S-1' })).toContainText('$0.5123');
  await ui.screenshot('agent-history');
});
