// The window from 800×600 up: no sideways scrolling of the page, the sidebar as a rail (B toggles
// it), the event table without its clock and agent columns before messages wrap, and nothing
// drawn over anything else. Screenshots of each state go to test-results/screenshots/.
import type { Page } from '@playwright/test';
import { expect, test, type Ui } from './test';

/** The page itself never scrolls sideways (inner panes may, e.g. a wide diff). */
async function expectNoPageScroll(page: Page): Promise<void> {
  const widths = await page.locator('html').evaluate((html) => ({
    document: html.scrollWidth,
    body: html.ownerDocument.body.scrollWidth,
    window: html.clientWidth,
  }));
  expect(widths.document, 'page width').toBeLessThanOrEqual(widths.window);
  expect(widths.body, 'body width').toBeLessThanOrEqual(widths.window);
}

/**
 * Pairs of visible boxes that overlap: the frame's parts, and the children of every bar and of
 * every rendered event row. Returns descriptions, so a failure says what covers what.
 */
async function overlaps(page: Page): Promise<string[]> {
  return page.locator('html').evaluate((html) => {
    const doc = html.ownerDocument;
    const groups = [[...doc.querySelectorAll('.app > nav, .app > main, .app > footer')]];
    for (const bar of doc.querySelectorAll('.wf-meta, .actions, .filters, .tabs, .statusbar, .sidebar-head, .sidebar-foot, .history-head, [role=log] [role=listitem]')) {
      groups.push([...bar.children]);
    }
    const out: string[] = [];
    const name = (e: (typeof groups)[number][number]) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}${e.textContent ? ` "${e.textContent.slice(0, 30)}"` : ''}`;
    for (const group of groups) {
      const boxes = group
        .filter((e) => e.ownerDocument.defaultView!.getComputedStyle(e).display !== 'none' && e.ownerDocument.defaultView!.getComputedStyle(e).visibility !== 'hidden')
        .map((e) => [e, e.getBoundingClientRect()] as const)
        .filter(([, r]) => r.width > 0 && r.height > 0);
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, ra] = boxes[i]!;
          const [b, rb] = boxes[j]!;
          const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
          const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
          if (w > 0.5 && h > 0.5) out.push(`${name(a)} overlaps ${name(b)} by ${w.toFixed(1)}×${h.toFixed(1)}`);
        }
      }
    }
    return out;
  });
}

/** Heights of the rendered event rows whose message is one short line, and which columns show. */
async function eventTable(ui: Ui) {
  return ui.stream.locator('[role=listitem]').evaluateAll((rows) =>
    rows.map((row) => {
      const shown = (sel: string) => {
        const el = row.querySelector(sel);
        return !!el && el.ownerDocument.defaultView!.getComputedStyle(el).display !== 'none';
      };
      const msg = row.querySelector('.ev-msg')?.textContent ?? '';
      return { height: row.getBoundingClientRect().height, oneLine: !msg.includes('\n'), msg, time: shown('.ev-time'), agent: shown('.ev-agent') };
    }),
  );
}

async function expectTidy(page: Page): Promise<void> {
  await expectNoPageScroll(page);
  expect(await overlaps(page)).toEqual([]);
}

test.describe('at 800×600', () => {
  test.use({ viewport: { width: 800, height: 600 } });

  test('the sidebar is a rail, the event table drops clock and agent, nothing overlaps or scrolls sideways', async ({ ui, page }) => {
    await ui.open();
    const nav = page.getByRole('navigation', { name: 'Repositories and worktrees' });
    expect((await nav.boundingBox())!.width).toBeLessThanOrEqual(64);
    await expect(nav.getByRole('button', { name: 'Expand the sidebar' })).toHaveAttribute('title', /\(B\)$/);
    await expectTidy(page);

    await ui.start('feature-a', 'SW-80', { title: 'A small window with a title long enough to need the room', pipeline: 'gated' });
    await expect(ui.status).toHaveText('Needs approval');
    await expect(ui.worktree('feature-a')).toHaveAccessibleName('feature-a: Needs approval SW-80');
    await expect(ui.stream.getByRole('listitem').filter({ hasText: 'approval required' })).toBeVisible();
    await ui.screenshot('small-800x600-blocked');
    await expectTidy(page);

    // The event table: no clock, no agent; one-line messages stay on one line (27 px rows, the size the stream estimates).
    const rows = await eventTable(ui);
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.filter((r) => r.time || r.agent)).toEqual([]);
    expect(rows.filter((r) => r.oneLine && r.height !== 27)).toEqual([]);
    // The event counter stays on one line.
    const count = page.locator('.filters .count');
    expect((await count.boundingBox())!.height).toBeLessThan(20);

    // B opens the full sidebar, and still nothing scrolls sideways or overlaps; B closes it again.
    await page.keyboard.press('b');
    await expect(nav.getByRole('button', { name: 'Collapse the sidebar' })).toBeVisible();
    expect((await nav.boundingBox())!.width).toBeGreaterThan(200);
    await expect(ui.worktree('feature-a')).toContainText('Needs approval');
    await ui.screenshot('small-800x600-sidebar-open');
    await expectTidy(page);
    expect((await eventTable(ui)).filter((r) => r.oneLine && r.height !== 27)).toEqual([]);

    // The choice is remembered across a reload.
    await page.reload();
    await expect(nav.getByRole('button', { name: 'Collapse the sidebar' })).toBeVisible();
    await page.keyboard.press('b');
    await expect(nav.getByRole('button', { name: 'Expand the sidebar' })).toBeVisible();

    // The rail follows the keyboard like the list: J/K move the cursor, Enter opens.
    await expect(nav.locator('li.cursor')).toHaveCount(1);
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await expect(nav.locator('li.cursor').getByRole('button')).toHaveAccessibleName(/^feature-a: /);
    await page.keyboard.press('Enter');
    await expect(ui.worktree('feature-a')).toHaveAttribute('aria-current', 'page');

    // Running, in the dark theme.
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    await expect(ui.status).toHaveText('Running');
    await page.emulateMedia({ colorScheme: 'dark' });
    await ui.screenshot('small-800x600-running-dark');
    await expectTidy(page);

    // History, and the changed files.
    await page.keyboard.press('h');
    await expect(page.getByRole('region', { name: 'History' }).getByRole('button', { name: /^Open SW-80/ })).toBeVisible();
    await ui.screenshot('small-800x600-history');
    await expectTidy(page);
    // Its table fits too: long titles wrap, the pipeline and creation columns are dropped.
    const table = await page.locator('.history-scroll').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(table.scroll).toBeLessThanOrEqual(table.client);
    await expect(page.getByRole('columnheader', { name: 'Pipeline' })).toBeHidden();
    await expect(page.getByRole('columnheader', { name: 'Duration' })).toBeVisible();
    await page.keyboard.press('Enter');
    await page.keyboard.press('d');
    await expect(page.getByRole('tab', { name: 'Changed files' })).toHaveAttribute('aria-selected', 'true');
    await expectTidy(page);
  });
});

test.describe('at 1920×1080', () => {
  test.use({ viewport: { width: 1920, height: 1080 } });

  test('the full sidebar and every event column, nothing overlaps or scrolls sideways', async ({ ui, page }) => {
    await ui.open();
    const nav = page.getByRole('navigation', { name: 'Repositories and worktrees' });
    expect((await nav.boundingBox())!.width).toBeGreaterThan(200);
    await ui.start('feature-a', 'SW-81', { title: 'A large window', pipeline: 'gated' });
    await expect(ui.status).toHaveText('Needs approval');
    await expect(ui.stream.getByRole('listitem').filter({ hasText: 'approval required' })).toBeVisible();
    await ui.screenshot('large-1920x1080-blocked');
    await expectTidy(page);
    const rows = await eventTable(ui);
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.filter((r) => !r.time || !r.agent)).toEqual([]);
    expect(rows.filter((r) => r.oneLine && r.height !== 27)).toEqual([]);

    await page.emulateMedia({ colorScheme: 'dark' });
    await ui.screenshot('large-1920x1080-blocked-dark');
    await expectTidy(page);
  });
});
