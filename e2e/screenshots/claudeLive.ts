// Produces docs/screenshots/claude-live.png: the built-in `claude` pipeline run by the real Claude
// Code CLI (the version locked in test/agents/clis) against the scripted Anthropic stand-in, over
// the headless server, photographed mid-stage: messages, tool calls, cost.
//   npx tsx e2e/screenshots/claudeLive.ts [--dark] [--out PATH]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { makeRepo } from '../../src/main/core/testing/pipelineFixtures';
import { GOOD_KEY, startAnthropicStandIn } from '../../test/agents/anthropicStandIn';
import { CLIS_BIN, ensureClis } from '../../test/agents/realClis';
import { AgentScript, stageOf, type Turn } from '../../test/agents/script';
import buildWindowIfStale from '../globalSetup';
import { Rpc } from '../harness';

const root = resolve(import.meta.dirname, '../..');
const argv = process.argv.slice(2);
const dark = argv.includes('--dark');
const out = argv.includes('--out') ? resolve(argv[argv.indexOf('--out') + 1]!) : join(root, 'docs/screenshots/claude-live.png');

/** A few turns more than the tests' script, so the picture shows a stage at work. */
class ShowcaseScript extends AgentScript {
  private afterTools = 0;
  override turn(prompt: string, afterTool: boolean): Turn {
    switch (stageOf(prompt)) {
      case 'plan':
        return {
          text: '## Plan\n\n1. Create `hello.txt` with a greeting.\n2. Add a **Hello** section to `README.md`.\n3. Check that both files exist.\n\nNo other file changes.',
        };
      case 'implement':
        if (!afterTool) return { text: "I'll follow the approved plan:\n\n- write `hello.txt`\n- then add the section to the README", writeFile: { path: 'hello.txt', content: 'Hello from the agent!\n' } };
        this.afterTools += 1;
        if (this.afterTools === 1) return { text: '`hello.txt` is written. Now the **Hello** section:', writeFile: { path: 'README.md', content: '# test repository\n\n## Hello\n\nHello from the agent!\n' } };
        return { text: 'Both files are written.', holdMs: 600_000 }; // the stage stays mid-run for the photograph
      default:
        return super.turn(prompt, afterTool);
    }
  }
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 120_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

await ensureClis();
buildWindowIfStale();
const standIn = await startAnthropicStandIn(new ShowcaseScript());
const dir = mkdtempSync(join(tmpdir(), 'switchyard-claude-live-'));
const home = join(dir, 'home');
mkdirSync(home);
const repo = await makeRepo(dir);
const env = {
  PATH: `${CLIS_BIN}:${process.env.PATH ?? '/usr/bin:/bin'}`,
  HOME: home,
  LANG: 'C.UTF-8',
  ANTHROPIC_BASE_URL: standIn.url,
  ANTHROPIC_API_KEY: GOOD_KEY,
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
};
const server = spawn('npm', ['run', 'serve', '--', '--port', '0', '--data-dir', join(dir, 'data'), '--repo', repo], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const url = await new Promise<string>((ok, fail) => {
    let text = '';
    server.stdout!.on('data', (c: Buffer) => {
      text += c.toString();
      const m = /Switchyard listening on (http:\/\/\S+)/.exec(text);
      if (m) ok(m[1]!);
    });
    server.once('exit', (code) => fail(new Error(`serve exited (${code})`)));
  });
  const u = new URL(url);
  const rpc = await Rpc.connect(Number(u.port), u.searchParams.get('token')!);
  const w = await rpc.call('workflows.start', { worktreePath: repo, issueId: 'GREET-1', title: 'Greet the reader', pipeline: 'claude', description: 'Add a hello.txt and a Hello section to the README.' });
  await until('the plan', async () => (await rpc.call('workflows.get', { workflowId: w.id })).status === 'blocked');
  await rpc.call('workflows.approve', { workflowId: w.id });
  // Mid-stage: both tool calls answered, the last answer held by the stand-in.
  await until('the second tool result', async () => (await rpc.allEvents(w.id)).filter((e) => e.type === 'tool_result').length >= 2);

  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 1360, height: 820 }, colorScheme: dark ? 'dark' : 'light' });
  await page.goto(url);
  await page.getByRole('navigation', { name: 'Repositories and worktrees' }).getByRole('button', { name: /^main\b|^master\b/ }).click();
  const stream = page.getByRole('log', { name: 'Event stream' });
  await stream.locator('.ev-tool_result').nth(1).waitFor();
  await page.locator('.wf-head [data-usage]').waitFor();
  // Open the README edit's input, as a reader would.
  await stream.getByRole('button', { name: /Write.*README\.md/ }).first().click();
  await stream.getByLabel('Write input').waitFor();
  mkdirSync(resolve(out, '..'), { recursive: true });
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
  await browser.close();
  await rpc.call('workflows.cancel', { workflowId: w.id, reason: 'screenshot taken' });
  rpc.close();
} finally {
  try {
    process.kill(-server.pid!, 'SIGTERM');
  } catch {
    /* gone */
  }
  await new Promise((r) => server.once('exit', r));
  await standIn.close();
  rmSync(dir, { recursive: true, force: true });
}
