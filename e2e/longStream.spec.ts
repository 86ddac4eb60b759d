import { expect, test } from './test';

// While the stream follows its tail the virtualizer holds only the last rows, laid out after the
// height of those before them (src/renderer/src/lib/tailWindow.ts). The page must look exactly
// as with the whole list: same scroll height, every row at the same place, nothing missing.
test('a long live stream: the tail window lays rows out exactly as the whole list does', async ({ ui, sy, page }) => {
  await ui.open();
  await ui.start('feature-a', 'SW-40', { pipeline: 'long' });
  await expect(ui.status).toHaveText('Completed', { timeout: 45_000 });
  await expect(ui.stream.locator('[role=listitem]').filter({ hasText: 'workflow completed' })).toBeVisible();
  const id = (await sy.rpc.call('workflows.list', { worktreePath: sy.worktrees.a })).items[0]!.id;
  const events = await sy.rpc.allEvents(id);
  expect(events.length).toBeGreaterThan(2000);
  await expect(ui.stream).toHaveAttribute('data-count', String(events.length));
  await expect(ui.stream).toHaveAttribute('data-first', '1');

  const frames = () =>
    page.evaluate(() => {
      const g = globalThis as unknown as { requestAnimationFrame(cb: () => void): void };
      return new Promise<void>((r) => g.requestAnimationFrame(() => g.requestAnimationFrame(r)));
    });
  const geometry = () =>
    ui.stream.evaluate((el) => ({
      scrollHeight: el.scrollHeight,
      atBottom: el.scrollHeight - el.scrollTop - el.clientHeight < 2,
      rows: [...el.querySelectorAll('[role=listitem]')].map((r) => ({
        seq: Number(r.getAttribute('data-seq')),
        index: Number(r.getAttribute('data-index')),
        windowIndex: Number(r.getAttribute('data-vindex')),
        top: r.getBoundingClientRect().top - el.getBoundingClientRect().top + el.scrollTop,
        height: r.getBoundingClientRect().height,
      })),
    }));

  // Following: the rows come from the window (their index in it is not their index in the list).
  const tail = await geometry();
  expect(tail.atBottom).toBe(true);
  expect(tail.rows.length).toBeGreaterThan(5);
  expect(tail.rows.every((r) => r.index > r.windowIndex)).toBe(true);
  const last = tail.rows.reduce((a, b) => (a.index > b.index ? a : b));
  expect(last.seq).toBe(events.at(-1)!.sequence);
  expect(last.top + last.height).toBeCloseTo(tail.scrollHeight, 0);

  // A few rows up: the whole list. (Rows drawn for the first time are measured now, which may
  // move what is below them by a pixel or two: the comparison is the other way round.)
  await ui.stream.evaluate((el) => (el.scrollTop -= 60));
  await expect(page.getByRole('button', { name: /Jump to latest/ })).toBeVisible();
  await frames();
  const whole = await geometry();
  expect(whole.rows.every((r) => r.index === r.windowIndex)).toBe(true);

  // Back to the tail: the window again, and every row is exactly where the whole list put it.
  await page.getByRole('button', { name: /Jump to latest/ }).click();
  await expect(page.getByRole('button', { name: /Jump to latest/ })).toBeHidden();
  await frames();
  const again = await geometry();
  expect(again.atBottom).toBe(true);
  expect(again.rows.every((r) => r.index > r.windowIndex)).toBe(true);
  expect(again.scrollHeight).toBe(whole.scrollHeight);
  const wholeTop = new Map(whole.rows.map((r) => [r.seq, r.top]));
  const both = again.rows.filter((r) => wholeTop.has(r.seq));
  expect(both.length).toBeGreaterThan(5);
  for (const r of both) expect(r.top, `row #${r.seq}`).toBeCloseTo(wholeTop.get(r.seq)!, 0);

  // And the whole log is there, in order (row i of the list showing sequence first + i).
  const rendered = await ui.renderedSequences();
  expect([...rendered.keys()]).toEqual(events.map((e) => e.sequence));
});
