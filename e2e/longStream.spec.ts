import AxeBuilder from '@axe-core/playwright';
import { CHUNK, TAIL_PAGE } from '../src/renderer/src/lib/eventLog';
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
  // The list is the whole log (what the stream did not receive live, if it opened late on a
  // loaded machine, loads when scrolled to: checked at the end).
  await expect(ui.stream).toHaveAttribute('data-last', String(events.at(-1)!.sequence));

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

  // And the whole log is there, in order (row i of the list showing sequence i + 1), all loaded.
  const rendered = await ui.renderedSequences();
  expect([...rendered.keys()]).toEqual(events.map((e) => e.sequence));
  await expect(ui.stream).toHaveAttribute('data-count', String(events.length));
  await expect(ui.stream).toHaveAttribute('data-first', '1');
});

// Reopened, the window holds the tail page only. The list is still the whole log (rows not loaded
// are placeholders of one row's height): a jump to the top loads the first page and nothing
// between, and a page landing moves no row on screen.
test('a long log reopened: a jump loads only the page on screen, and its landing moves nothing', async ({ ui, sy, page }) => {
  // The page's requests for pages, seen (and, while `hold` is on, kept back) on their way to the server.
  const asked: Array<{ afterSequence?: number; limit?: number }> = [];
  const held: Array<() => void> = [];
  let hold = false;
  await page.routeWebSocket(/.*/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      const { method, params } = JSON.parse(String(message)) as { method?: string; params?: { afterSequence?: number; limit?: number } };
      const range = method === 'events.list' && params?.afterSequence !== undefined;
      if (range) asked.push({ afterSequence: params.afterSequence, limit: params.limit });
      if (range && hold) held.push(() => server.send(message));
      else server.send(message);
    });
  });
  await ui.open();
  await ui.start('feature-a', 'SW-41', { pipeline: 'long' });
  await expect(ui.status).toHaveText('Completed', { timeout: 45_000 });
  const id = (await sy.rpc.call('workflows.list', { worktreePath: sy.worktrees.a })).items[0]!.id;
  const events = await sy.rpc.allEvents(id);
  const last = events.at(-1)!.sequence;
  expect(last).toBeGreaterThan(TAIL_PAGE + 2 * CHUNK);

  await page.reload();
  await ui.worktree('feature-a').click();
  await expect(ui.stream.locator(`.ev-row[data-seq="${last}"]:not(.ev-placeholder)`)).toBeVisible();
  await expect(page.locator('.stream-status')).toBeEmpty();
  const opened = Number(await ui.stream.getAttribute('data-count'));
  expect(opened).toBeLessThan(TAIL_PAGE + CHUNK);

  // The top: row #1 shows, after one request for the first page.
  const before = asked.length;
  await ui.stream.evaluate((el) => (el.scrollTop = 0));
  await expect(ui.stream.locator('.ev-row[data-seq="1"]:not(.ev-placeholder)')).toBeVisible();
  await expect(ui.stream).toHaveAttribute('data-count', String(opened + CHUNK));
  expect(asked.slice(before)).toEqual([{ afterSequence: 0, limit: CHUNK }]);
  expect(await ui.stream.evaluate((el) => el.scrollTop)).toBe(0);

  // The middle, with its page held back: placeholders where its rows go, one row's height each.
  hold = true;
  const middle = Math.floor(last / 2);
  await ui.stream.evaluate((el, seq) => (el.scrollTop = (seq - 1) * 27 - el.clientHeight / 2), middle);
  await expect.poll(() => held.length).toBeGreaterThan(0);
  await expect(ui.stream.locator(`.ev-placeholder[data-seq="${middle}"]`)).toBeVisible();
  const waiting = await geometry();
  expect(waiting.rows.filter((r) => r.placeholder).length).toBeGreaterThan(5);
  for (const r of waiting.rows.filter((r) => r.placeholder)) expect(r.height).toBe(27);
  hold = false;
  held.splice(0).forEach((send) => send());
  await expect(ui.stream.locator(`.ev-row[data-seq="${middle}"]:not(.ev-placeholder)`)).toBeVisible();
  await expect(ui.stream.locator('.ev-placeholder')).toHaveCount(0);
  const landed = await geometry();
  // Nothing on screen moved: every row in the window is where its placeholder was. (A row drawn
  // above the window that turns out taller than one line is measured, and the virtualizer
  // shifts scrollTop by as much, so what is on screen stays put.)
  const onScreen = (g: typeof waiting, r: (typeof waiting.rows)[number]) => r.view >= g.viewTop && r.view < g.viewTop + g.height;
  const was = new Map(waiting.rows.map((r) => [r.seq, r.view]));
  const both = landed.rows.filter((r) => was.has(r.seq) && onScreen(landed, r));
  expect(both.length).toBeGreaterThan(10);
  for (const r of both) expect(r.view, `row #${r.seq}`).toBeCloseTo(was.get(r.seq)!, 0);
  // Still far from everything: only the pages looked at.
  expect(Number(await ui.stream.getAttribute('data-count'))).toBeLessThan(events.length);

  // How placeholders look in a small window (looked at: test-results/screenshots), and axe-clean.
  await page.setViewportSize({ width: 800, height: 600 });
  hold = true;
  // Row 1.5 * CHUNK: in the second page, which neither the top's nor the middle's loaded.
  await ui.stream.evaluate((el, seq) => (el.scrollTop = (seq - 1) * 27 - el.clientHeight / 2), 1.5 * CHUNK);
  await expect.poll(() => held.length).toBeGreaterThan(0);
  await expect(ui.stream.locator(`.ev-placeholder[data-seq="${1.5 * CHUNK}"]`)).toBeVisible();
  await ui.screenshot('stream-placeholders-800x600');
  const axe = await new AxeBuilder({ page }).include('.stream').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).setLegacyMode(true).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  hold = false;
  held.splice(0).forEach((send) => send());
  await expect(ui.stream.locator('.ev-placeholder')).toHaveCount(0);

  // A filter searches the whole log (so far: the tail and the three pages looked at): the rest
  // loads (held back at first), and the matches already loaded stay where they are on screen
  // while older ones arrive above them. In the default
  // window: at 800 px a row's type wraps to a second line, which the row estimate does not know,
  // and rows measured after the correction can still move the view (noted in docs/window.md).
  await page.setViewportSize({ width: 1360, height: 820 });
  hold = true;
  await page.getByRole('searchbox', { name: 'Search events' }).fill('step 1');
  await expect(page.locator('.filters .count')).toContainText(`of ${(opened + 3 * CHUNK).toLocaleString('en')} events`);
  await expect.poll(() => held.length).toBeGreaterThan(0);
  // Near the end of the filtered list (matches from the tail), but off it, so nothing follows it.
  const lastMatch = events.filter((e) => e.message.includes('step 1')).at(-1)!;
  await ui.stream.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await ui.stream.evaluate((el) => (el.scrollTop -= 60));
  await expect(ui.stream.locator(`[data-seq="${lastMatch.sequence}"]`)).toBeVisible();
  await expect(page.getByRole('button', { name: /Jump to latest/ })).toBeVisible();
  const filtered = await geometry();
  hold = false;
  held.splice(0).forEach((send) => send());
  await expect(ui.stream).toHaveAttribute('data-count', String(events.length));
  const matches = events.filter((e) => e.message.toLowerCase().includes('step 1'));
  await expect(page.locator('.filters .count')).toHaveText(`${matches.length.toLocaleString('en')} of ${events.length.toLocaleString('en')} events`);
  const complete = await geometry();
  const wasOnScreen = new Map(filtered.rows.map((r) => [r.seq, r.view]));
  const still = complete.rows.filter((r) => wasOnScreen.has(r.seq) && onScreen(complete, r));
  expect(still.length).toBeGreaterThan(3);
  for (const r of still) expect(r.view, `row #${r.seq}`).toBeCloseTo(wasOnScreen.get(r.seq)!, 0);
  await ui.stream.evaluate((el) => (el.scrollTop = 0));
  await expect(ui.stream.locator('[role=listitem]').first()).toHaveAttribute('data-seq', String(matches[0]!.sequence));

  async function geometry() {
    return ui.stream.evaluate((el) => ({
      scrollTop: el.scrollTop,
      height: el.clientHeight,
      viewTop: el.getBoundingClientRect().top,
      rows: [...el.querySelectorAll('[role=listitem]')].map((r) => ({
        seq: Number(r.getAttribute('data-seq')),
        top: r.getBoundingClientRect().top - el.getBoundingClientRect().top + el.scrollTop,
        // Where it is in the window (what the reader sees: also moves if the list itself moves).
        view: r.getBoundingClientRect().top,
        height: r.getBoundingClientRect().height,
        placeholder: r.classList.contains('ev-placeholder'),
      })),
    }));
  }
});

// Rows with nothing of their own (plain output, lifecycle lines, placeholders) are drawn in a
// fixed set of elements (src/renderer/src/lib/rowSlots.ts): a jump changes their text, not the
// DOM. Each must still show its own event, at its own height, with no row over another.
test('a jump reuses the row elements, and each reused row shows its own event at its own height', async ({ ui, sy, page }) => {
  await ui.open();
  // Output coalesced into events of a few lines each: rows of different heights.
  await ui.start('feature-a', 'SW-43', { pipeline: 'ticker' });
  await expect(ui.status).toHaveText('Completed', { timeout: 45_000 });
  const id = (await sy.rpc.call('workflows.list', { worktreePath: sy.worktrees.a })).items[0]!.id;
  const events = await sy.rpc.allEvents(id);
  await expect(ui.stream).toHaveAttribute('data-last', String(events.at(-1)!.sequence));
  const bySeq = new Map(events.map((e) => [e.sequence, e]));
  const heights = new Set(events.filter((e) => e.type === 'agent_output').map((e) => e.message.split('\n').length));
  expect(heights.size, 'outputs of different line counts').toBeGreaterThan(1);

  const frames = () =>
    page.evaluate(() => {
      const g = globalThis as unknown as { requestAnimationFrame(cb: () => void): void };
      return new Promise<void>((r) => g.requestAnimationFrame(() => g.requestAnimationFrame(r)));
    });
  // Every row drawn: its sequence, what it shows, where it is, and whether its element was drawn
  // before the jump (marked with the sequence it showed then).
  const rows = () =>
    ui.stream.evaluate((el) =>
      [...el.querySelectorAll('[role=listitem]')].map((r) => ({
        seq: Number(r.getAttribute('data-seq')),
        shownSeq: r.querySelector('.ev-seq')?.textContent ?? '',
        message: r.querySelector('.ev-msg')?.textContent ?? '',
        top: r.getBoundingClientRect().top - el.getBoundingClientRect().top + el.scrollTop,
        height: r.getBoundingClientRect().height,
        before: (r as unknown as { drawnAs?: number }).drawnAs,
      })),
    );
  const mark = () =>
    ui.stream.evaluate((el) => {
      for (const r of el.querySelectorAll('[role=listitem]')) (r as unknown as { drawnAs?: number }).drawnAs = Number(r.getAttribute('data-seq'));
    });
  const check = (drawn: Awaited<ReturnType<typeof rows>>) => {
    const sorted = [...drawn].sort((a, b) => a.seq - b.seq);
    for (const [i, r] of sorted.entries()) {
      expect(r.shownSeq, `row #${r.seq}`).toBe(String(r.seq));
      expect(r.message, `row #${r.seq}`).toBe(bySeq.get(r.seq)!.message);
      // Contiguous: each row starts where the one before it ends (its height is known to the list).
      if (i > 0 && sorted[i - 1]!.seq === r.seq - 1) expect(r.top, `row #${r.seq}`).toBeCloseTo(sorted[i - 1]!.top + sorted[i - 1]!.height, 0);
    }
  };

  const jumps = [0, 0.5, 0.25, 1];
  for (const at of jumps) {
    await mark();
    const before = new Set((await rows()).map((r) => r.seq));
    await ui.stream.evaluate((el, f) => (el.scrollTop = f * (el.scrollHeight - el.clientHeight)), at);
    await frames();
    const drawn = await rows();
    check(drawn);
    // The rows that came on screen were drawn in the elements of rows that left it.
    const arrived = drawn.filter((r) => !before.has(r.seq));
    if (arrived.length > 0) {
      const reused = arrived.filter((r) => r.before !== undefined && r.before !== r.seq);
      expect(reused.length, `rows arriving at ${at} in reused elements`).toBeGreaterThan(arrived.length / 2);
    }
  }
});
