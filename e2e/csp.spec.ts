// The page's Content-Security-Policy (src/renderer/index.html: scripts and styles from the app
// only, nothing inline, no eval) holds without a single violation while the window loads, streams
// markdown, tool rows and a fast log, and opens its dialogs: a violation means either something
// the page needs is refused, or something tried what it must not (zod's eval probe did, until
// the renderer set it jitless).
import { writeFileSync } from 'node:fs';
import { expect, test } from './test';

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
}

test('the page runs under its CSP without one violation: loading, streaming, dialogs', async ({ ui, sy, page }) => {
  await page.addInitScript(() => {
    const seen: Violation[] = [];
    Object.assign(globalThis, { __cspViolations: seen });
    // Capture phase on the document, added before any of the page's scripts run.
    type ViolationEvent = { effectiveDirective: string; blockedURI: string; sample: string };
    const doc = (globalThis as unknown as { document: { addEventListener(type: string, f: (e: ViolationEvent) => void, capture: boolean): void } }).document;
    doc.addEventListener('securitypolicyviolation', (e) => seen.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample }), true);
  });
  const console: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) console.push(m.text());
  });
  const violations = () => page.evaluate(() => (globalThis as unknown as { __cspViolations: Violation[] }).__cspViolations);

  await ui.open();
  // The policy is the one this test means (a page without it would pass trivially).
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(policy).toMatch(/script-src 'self'(;|$)/);
  expect(policy).toMatch(/style-src 'self'(;|$)/);

  // Markdown plan, messages, tool rows (opened), retries, cost.
  await ui.start('feature-a', 'CSP-1', { pipeline: 'streamed' });
  await expect(page.getByRole('region', { name: 'Plan' }).getByRole('heading', { name: 'Plan', level: 4 })).toBeVisible();
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  const write = ui.stream.getByRole('button', { name: /Write.*hello\.txt/ }).first();
  await write.click();
  await expect(write).toHaveAttribute('aria-expanded', 'true');
  writeFileSync(sy.gate('CSP-1'), 'go');
  await expect(ui.status).toHaveText('Completed');

  // A fast stream beside it, then the dialogs and overlays.
  await ui.start('feature-b', 'CSP-2', { pipeline: 'ticker' });
  await expect(ui.stream.getByText(/tick 150\b/)).toBeVisible();
  await page.keyboard.press('Control+k');
  await expect(ui.dialog('Command palette')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.keyboard.press('?');
  await expect(ui.dialog('Keyboard shortcuts')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.keyboard.press('h');
  await expect(page.getByRole('region', { name: 'History' })).toBeVisible();

  // Reported violations are delivered as a task after the fact: one more round trip for them.
  await page.evaluate(() => new Promise((r) => setTimeout(r, 0)));
  expect(await violations()).toEqual([]);
  expect(console).toEqual([]);
});
