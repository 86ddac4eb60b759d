// The Playwright fixtures: `sy` (a running Switchyard for this test) and `ui` (the page driver).
import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startSwitchyard, type Switchyard } from './harness';

export { expect };

const shots = resolve(import.meta.dirname, '../test-results/screenshots');

export class Ui {
  constructor(
    readonly page: Page,
    readonly sy: Switchyard,
  ) {}

  async open(): Promise<void> {
    await this.page.goto(this.sy.url);
    await expect(this.page.getByRole('status', { name: /Connection/ })).toHaveText('Connected');
    await expect(this.worktree('feature-a')).toBeVisible();
  }

  /** A worktree row's main button in the sidebar. */
  worktree(branch: string) {
    return this.page.getByRole('navigation', { name: 'Repositories and worktrees' }).getByRole('button', { name: new RegExp(`^${branch}\\b`) });
  }

  get header() {
    return this.page.getByRole('region', { name: 'Workflow' }).locator('header');
  }

  get status() {
    return this.header.locator('.badge');
  }

  get stream() {
    return this.page.getByRole('log', { name: 'Event stream' });
  }

  dialog(name: string | RegExp) {
    return this.page.getByRole('dialog', { name });
  }

  /** Starts a workflow through the dialog, from the button of an empty or ended worktree view. */
  async start(branch: string, issueId: string, opts: { title?: string; pipeline?: string; queue?: boolean } = {}): Promise<void> {
    await this.worktree(branch).click();
    await this.page.keyboard.press('n');
    const dialog = this.dialog('Start a workflow');
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Issue id').fill(issueId);
    if (opts.title) await dialog.getByLabel('Title').fill(opts.title);
    if (opts.pipeline) {
      await expect(dialog.getByLabel('Pipeline', { exact: true }).locator(`option[value="${opts.pipeline}"]`)).toBeAttached();
      await dialog.getByLabel('Pipeline', { exact: true }).selectOption(opts.pipeline);
    }
    if (opts.queue) await dialog.getByLabel('Queue if at the concurrency limit').check();
    await dialog.getByRole('button', { name: 'Start workflow' }).click();
  }

  /** The sequences of the rendered event rows, scrolling the virtual list from top to bottom. */
  async renderedSequences(): Promise<Map<number, string>> {
    const seen = new Map<number, string>();
    const el = this.stream;
    // Two frames after each scroll: the virtualizer learns the position from the scroll event and
    // renders the rows of the new range in the frame after it.
    const frames = () =>
      el.evaluate(() => {
        const g = globalThis as unknown as { requestAnimationFrame(cb: () => void): void };
        return new Promise<void>((r) => g.requestAnimationFrame(() => g.requestAnimationFrame(r)));
      });
    await el.evaluate((node) => (node.scrollTop = 0));
    await frames();
    for (let guard = 0; guard < 500; guard++) {
      // Rows not loaded yet (placeholders) load as they come on screen: wait for them.
      await expect(el.locator('.ev-placeholder')).toHaveCount(0);
      const rows = await el.locator('[role=listitem]').evaluateAll((items) =>
        items.map((i) => [Number(i.getAttribute('data-seq')), Number(i.getAttribute('data-index')), i.querySelector('.ev-msg')?.textContent ?? '', i.classList.contains('ev-placeholder')] as const),
      );
      for (const [seq, index, msg, placeholder] of rows) {
        // The list is the log 1..N (rule 3): row i of the virtual list holds sequence i + 1.
        if (seq !== index + 1) throw new Error(`row ${index} shows sequence ${seq}, expected ${index + 1}`);
        if (placeholder) throw new Error(`row ${index} (#${seq}) is not loaded`);
        seen.set(seq, msg);
      }
      const done = await el.evaluate((node) => {
        if (node.scrollTop + node.clientHeight >= node.scrollHeight - 1) return true;
        node.scrollTop += Math.max(50, node.clientHeight - 60);
        return false;
      });
      if (done) break;
      await frames();
    }
    // In sequence order, whatever order the rows were met in while scrolling.
    return new Map([...seen].sort(([a], [b]) => a - b));
  }

  async screenshot(name: string): Promise<void> {
    mkdirSync(shots, { recursive: true });
    await this.page.screenshot({ path: join(shots, `${name}.png`) });
  }
}

export const test = base.extend<{ sy: Switchyard; ui: Ui; serverEnv: Record<string, string> }>({
  serverEnv: [{}, { option: true }],
  sy: async ({ serverEnv }, use) => {
    const sy = await startSwitchyard(serverEnv);
    try {
      await use(sy);
    } finally {
      await sy.stop();
    }
  },
  ui: async ({ page, sy }, use) => {
    await use(new Ui(page, sy));
  },
});
