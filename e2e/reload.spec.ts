import { expect, test } from './test';

test('reload mid-stream: afterwards no event is missing and none is duplicated', async ({ ui, sy, page }) => {
  await ui.open();
  await ui.start('feature-a', 'SW-20', { pipeline: 'ticker' });
  await expect(ui.stream.getByText(/^tick 1\b/).first()).toBeVisible();
  const id = (await sy.rpc.call('workflows.list', { worktreePath: sy.worktrees.a })).items[0]!.id;
  const before = await sy.rpc.call('workflows.get', { workflowId: id });
  expect(before.status).toBe('in_progress'); // still streaming when the page goes away

  await page.reload();
  await expect(page.getByRole('status', { name: /Connection/ })).toHaveText('Connected');
  await ui.worktree('feature-a').click();
  await expect(ui.status).toHaveText('Completed');
  await expect(ui.stream.getByText('ticker done')).toBeVisible();

  const events = await sy.rpc.allEvents(id);
  await expect(ui.stream).toHaveAttribute('data-count', String(events.length));
  await expect(ui.stream).toHaveAttribute('data-first', '1');
  const rendered = await ui.renderedSequences();
  expect([...rendered.keys()]).toEqual(events.map((e) => e.sequence));
  expect([...rendered.values()]).toEqual(events.map((e) => e.message));
  const ticks = events.flatMap((e) => e.message.match(/tick \d+/g) ?? []);
  expect(ticks).toEqual(Array.from({ length: 150 }, (_, i) => `tick ${i + 1}`));
});
