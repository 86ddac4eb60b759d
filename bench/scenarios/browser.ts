// P4 (emit -> row in the DOM) and P5 (open a workflow with 100,000 events): the headless server
// in this process, the real renderer in Debian Chromium.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createCore } from '../../src/main/core/createCore';
import { checkGit } from '../../src/main/core/git';
import { git, makeRepo } from '../../src/main/core/testing/pipelineFixtures';
import { InProcessExecutor, hang } from '../../src/main/core/testing/inProcessExecutor';
import { StaticPipelines } from '../../src/main/core/testing/staticPipelines';
import { startServe, type Served } from '../../src/main/server/serveRuntime';
import buildWindowIfStale from '../../e2e/globalSetup';
import { percentile, type Figure } from '../stats';
import type { Sizes } from './core';
import { frameCpu, startPageProfile, startPageTrace } from './pageProfile';

// Browser globals, used only inside page.evaluate callbacks (this file is type-checked for Node).
interface DomElement {
  textContent: string | null;
  scrollTop: number;
  scrollHeight: number;
  getAttribute(name: string): string | null;
}
declare const document: {
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement>;
  addEventListener(type: string, listener: (e: { timeStamp: number }) => void, options?: object): void;
};
declare const window: object;
declare const MutationObserver: new (callback: () => void) => { observe(target: DomElement, options: object): void; disconnect(): void };
declare const requestAnimationFrame: (callback: (time: number) => void) => void;

const ROOT = resolve(import.meta.dirname, '../..');
const STATIC_DIR = join(ROOT, 'out/renderer');
// --enable-precise-memory-info: without it performance.memory is bucketed and P5's heap figure meaningless.
const CHROMIUM_ARGS = ['--enable-precise-memory-info', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

interface Rig {
  served: Served;
  browser: Browser;
  page: Page;
  repo: string;
  workflowId: string;
  done(): Promise<void>;
}

async function rig(): Promise<Rig> {
  buildWindowIfStale(); // the e2e suite's rule: rebuild when out/renderer is missing or older than its sources
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-bench-ui-'));
  const repo = await makeRepo(dir);
  await git(repo, 'branch', '-M', 'main');
  // A second worktree, so that P5 can show something else first and then open the workflow.
  await git(repo, 'worktree', 'add', '-b', 'other', join(dir, 'other'));
  const served = await startServe({
    args: { port: 0, dataDir: join(dir, 'data'), repos: [repo], help: false },
    defaultDataDir: join(dir, 'data'),
    staticDir: STATIC_DIR,
    checkGit,
    createCore: (dataDir) =>
      createCore({
        dataDir,
        executor: new InProcessExecutor({ work: hang }),
        pipelines: new StaticPipelines({ default: [{ name: 'work', agent: 'developer', run: ['bench'] }] }),
      }),
  });
  const wf = await served.core.orchestrator.start({ worktreePath: repo, issueId: 'BENCH' });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1360, height: 820 } });
  await page.addInitScript(noteArrivals);
  return {
    served,
    browser,
    page,
    repo,
    workflowId: wf.id,
    async done() {
      await browser.close();
      await served.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openWorkflow(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('navigation', { name: 'Repositories and worktrees' }).getByRole('button', { name: /^main\b/ }).click();
  await page.getByRole('log', { name: 'Event stream' }).waitFor();
}

/**
 * Runs in the page before the app: notes when each bench event's push arrives from the WebSocket
 * (a listener added before the client's own `onmessage`, so before the client does anything).
 */
function noteArrivals(): void {
  const w = window as unknown as { __received: Map<string, number>; WebSocket: new (url: string, p?: string | string[]) => EventTarget };
  w.__received = new Map();
  const Native = w.WebSocket;
  w.WebSocket = class extends Native {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (ev) => {
        const data = (ev as unknown as { data: unknown }).data;
        if (typeof data !== 'string' || !data.startsWith('{"push":"events"')) return;
        const now = Date.now();
        for (const m of data.matchAll(/bench (\d+) at \d+/g)) if (!w.__received.has(m[1]!)) w.__received.set(m[1]!, now);
      });
    }
  };
}

interface Stages {
  /** emit -> row in the DOM, per rendered row. */
  total: number[];
  /** emit -> committed (the bus event), per event. */
  commit: number[];
  /** committed -> the push sent (the push hub's coalescing window). */
  hub: number[];
  /** sent -> the push arrived in the page (the socket, the page's task queue). */
  wire: number[];
  /** arrived -> row in the DOM (the client's batching, React's render and commit, the virtualizer). */
  client: number[];
}

/** Emits at `rate` events/s for `seconds`; notes each event's time at every stage. */
async function latency(r: Rig, rate: number, seconds: number): Promise<Stages> {
  await r.page.evaluate(() => {
    const w = window as unknown as { __seen: Map<string, number>; __received: Map<string, number> };
    w.__seen = new Map();
    w.__received.clear();
    new MutationObserver(() => {
      for (const row of document.querySelectorAll('[role="log"] [role="listitem"]')) {
        const m = /bench (\d+) at (\d+)/.exec(row.textContent ?? '');
        if (m && !w.__seen.has(m[1]!)) w.__seen.set(m[1]!, Date.now());
      }
    }).observe(document.querySelector('[role="log"]')!, { childList: true, subtree: true, characterData: true });
  });
  const orch = r.served.core.orchestrator;
  const emitted = new Map<string, number>();
  const committed = new Map<string, number>();
  const sent = new Map<string, number>();
  const note = (into: Map<string, number>, events: readonly { message: string }[]) => {
    const now = Date.now();
    for (const e of events) {
      const m = /^bench (\d+) at/.exec(e.message);
      if (m) into.set(m[1]!, now);
    }
  };
  const offBus = orch.bus.on('events', ({ events }) => note(committed, events));
  const offHub = r.served.server.hub.add((push) => push.push === 'events' && note(sent, push.data.events));
  const off = () => {
    offBus();
    offHub();
  };
  const profiling = process.env.BENCH_PROFILE ? await startPageProfile(r.browser, r.page, process.env.BENCH_PROFILE) : null;
  const total = rate * seconds;
  const perTick = Math.max(1, Math.round(rate / 100));
  const first = orch.lastSequence(r.workflowId) + 1;
  let count = 0;
  const acks: Promise<unknown>[] = [];
  await new Promise<void>((done) => {
    const timer = setInterval(() => {
      for (let i = 0; i < perTick && count < total; i++, count++) {
        const at = Date.now();
        emitted.set(String(count), at);
        acks.push(orch.emit(r.workflowId, { agent: 'developer', type: 'agent_output', message: `bench ${count} at ${at}` }));
      }
      if (count >= total) {
        clearInterval(timer);
        done();
      }
    }, 10);
  });
  await Promise.all(acks);
  const lastSeq = orch.lastSequence(r.workflowId);
  await r.page.waitForFunction((seq) => Number(document.querySelector('[role="log"]')?.getAttribute('data-last')) >= seq, lastSeq, { timeout: 30_000 });
  off();
  if (profiling) process.stderr.write(`P4 at ${rate}/s, the page:\n${await profiling.stop(`p4-${rate}`)}\n`);
  // Nothing dropped or reordered: the window holds one contiguous run of sequences through the last.
  const log = await r.page.evaluate(() => {
    const el = document.querySelector('[role="log"]')!;
    return { first: Number(el.getAttribute('data-first')), last: Number(el.getAttribute('data-last')), count: Number(el.getAttribute('data-count')) };
  });
  if (log.last !== lastSeq || log.count !== log.last - log.first + 1 || log.first > first) {
    throw new Error(`P4: the window's log is not the core's: ${JSON.stringify(log)}, expected through ${lastSeq} from at most ${first}`);
  }
  const { seen, received } = await r.page.evaluate(() => {
    const w = window as unknown as { __seen: Map<string, number>; __received: Map<string, number> };
    return { seen: [...w.__seen], received: [...w.__received] };
  });
  const arrived = new Map(received);
  const stages: Stages = { total: [], commit: [], hub: [], wire: [], client: [] };
  for (const [id, at] of emitted) {
    const c = committed.get(id);
    const p = sent.get(id);
    const a = arrived.get(id);
    if (c !== undefined) stages.commit.push(c - at);
    if (c !== undefined && p !== undefined) stages.hub.push(p - c);
    if (p !== undefined && a !== undefined) stages.wire.push(a - p);
  }
  for (const [id, dom] of seen) {
    stages.total.push(dom - emitted.get(id)!);
    const a = arrived.get(id);
    if (a !== undefined) stages.client.push(dom - a);
  }
  return stages;
}

const p50p99 = (values: number[]) => `${percentile(values, 50)} / ${percentile(values, 99)}`;

/** The page's main-thread busy time per second while nothing happens (the workflow open, running). */
async function idleCpu(r: Rig, seconds: number): Promise<number> {
  const cdp = await r.page.context().newCDPSession(r.page);
  await cdp.send('Performance.enable');
  const busy = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')!.value;
  const before = await busy();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = await busy();
  await cdp.detach();
  return ((after - before) * 1000) / seconds;
}

export async function p4(s: Sizes): Promise<Figure[]> {
  const r = await rig();
  try {
    await openWorkflow(r.page, r.served.server.url);
    const idle = await idleCpu(r, s.quick ? 2 : 5);
    const out: Figure[] = [
      { scenario: 'P4', name: 'idle: the page main thread busy per second', unit: 'ms', min: idle, median: idle, max: idle, note: 'a running workflow open, no events' },
    ];
    for (const rate of [1000, 5000]) {
      const st = await latency(r, rate, s.quick ? 1 : 3);
      const seen = st.total;
      out.push({
        scenario: 'P4',
        name: `emit -> row visible at ${rate}/s, p50 / p99`,
        unit: 'ms',
        min: percentile(seen, 50),
        median: percentile(seen, 99),
        max: Math.max(...seen),
        goal: 'p99 <= 50 ms',
        note:
          `p50 ${percentile(seen, 50)} ms, p99 ${percentile(seen, 99)} ms over ${seen.length} rows rendered (the list is virtualized: rows scrolled past within one frame are never drawn); ` +
          `stages p50 / p99: emit -> commit ${p50p99(st.commit)}, commit -> push sent ${p50p99(st.hub)}, sent -> in the page ${p50p99(st.wire)}, in the page -> row in the DOM ${p50p99(st.client)} ms`,
      });
    }
    return out;
  } finally {
    await r.done();
  }
}

export async function p5(s: Sizes): Promise<Figure[]> {
  const r = await rig();
  try {
    const n = s.quick ? 20_000 : 100_000;
    const orch = r.served.core.orchestrator;
    for (let i = 0; i < n; i += 1000) {
      await Promise.all(Array.from({ length: 1000 }, (_, k) => orch.emit(r.workflowId, { agent: 'developer', type: 'agent_output', message: `row ${i + k} ${'x'.repeat(60)}` })));
    }
    // Opening: from the click (the input event's own timestamp, in the page) to the first frame
    // after the newest row is in the DOM. The wall time around Playwright's click is printed
    // beside it: it adds the tool's checks before it clicks (~50 ms: scroll into view, two frames
    // of stability, a hit test), which no person's click waits for. Three opens, the median.
    const open = async (workflowId: string) => {
      const last = orch.lastSequence(workflowId);
      await r.page.goto(r.served.server.url);
      const nav = r.page.getByRole('navigation', { name: 'Repositories and worktrees' });
      await nav.getByRole('button', { name: /^main\b/ }).waitFor();
      // The window opens on a worktree by itself: show the other one first, so that the click
      // below opens the workflow (its events not loaded) rather than one already on screen.
      await nav.getByRole('button', { name: /^other\b/ }).click();
      await r.page.waitForFunction(() => !document.querySelector('[role="log"] [data-seq]'));
      // Armed before the click; the result is left on the page (a pending evaluate would hold up
      // the click). Each animation frame looks for the row: the first that finds it paints it.
      // No named functions in here: tsx would wrap them in a helper the page lacks.
      await r.page.evaluate((selector) => {
        const w = window as unknown as { __opened?: number };
        delete w.__opened;
        let clickAt: number | null = null;
        document.addEventListener(
          'click',
          (e) => {
            // The row must come from this click: shown already, the figure would measure nothing.
            if (document.querySelector(selector)) w.__opened = -1;
            else clickAt = e.timeStamp;
          },
          { capture: true, once: true },
        );
        void (async () => {
          for (;;) {
            const now = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
            if (clickAt !== null && document.querySelector(selector)) return void (w.__opened = now - clickAt);
          }
        })();
      }, `[role="log"] [data-seq="${last}"]:not(.ev-placeholder)`);
      const t0 = Date.now();
      await nav.getByRole('button', { name: /^main\b/ }).click();
      const inPage = (await (await r.page.waitForFunction(() => (window as unknown as { __opened?: number }).__opened)).jsonValue()) as number;
      if (inPage < 0) throw new Error('P5: the newest row was on screen before the click');
      return { inPage, wall: Date.now() - t0 };
    };
    const opens = async (workflowId: string) => {
      const runs = [];
      for (let i = 0; i < 3; i++) runs.push(await open(workflowId));
      return { inPage: percentile(runs.map((o) => o.inPage), 50), wall: percentile(runs.map((o) => o.wall), 50), all: runs };
    };
    const big = await opens(r.workflowId);
    const firstRows = big.inPage;
    const heap = await r.page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
    // Scroll to the top and back, measuring frame times: wall (rAF to rAF, which cannot go below
    // one vsync) and the main thread's CPU per frame from a trace (what the page's work costs,
    // not inflated by waiting for a core on a loaded machine). The profile, with BENCH_PROFILE.
    const profiling = process.env.BENCH_PROFILE ? await startPageProfile(r.browser, r.page, process.env.BENCH_PROFILE) : null;
    const tracing = profiling ? null : await startPageTrace(r.browser, r.page);
    const frames = await r.page.evaluate(async () => {
      const el = document.querySelector('[role="log"]')!;
      const times: number[] = [];
      let prev = performance.now();
      for (let i = 0; i < 120; i++) {
        el.scrollTop = i % 2 ? 0 : el.scrollHeight / (1 + (i % 7));
        await new Promise<void>((r) =>
          requestAnimationFrame(() => {
            performance.mark('p5-frame');
            r();
          }),
        );
        const now = performance.now();
        times.push(now - prev);
        prev = now;
      }
      return times;
    });
    let traceEvents;
    if (profiling) {
      process.stderr.write(`P5 scroll, the page:\n${await profiling.stop('p5-scroll')}\n`);
      traceEvents = profiling.trace;
    } else traceEvents = await tracing!.stop();
    const cpu = frameCpu(traceEvents, 'p5-frame');
    const loaded = await r.page.evaluate(() => Number(document.querySelector('[role="log"]')!.getAttribute('data-count')));
    const ONE_FRAME = { name: 'one frame at 60 Hz', median: 16.7 };
    const out: Figure[] = [
      {
        scenario: 'P5',
        name: `open ${n.toLocaleString('en')} events: click to last row visible`,
        unit: 'ms',
        min: Math.min(...big.all.map((o) => o.inPage)),
        median: firstRows,
        max: Math.max(...big.all.map((o) => o.inPage)),
        goal: '<= 100 ms',
        note: `click event to the first frame with the newest row in the DOM, median of 3 opens (${big.all.map((o) => o.inPage.toFixed(0)).join(' / ')} ms); around Playwright's click, with its checks before it clicks: ${big.all.map((o) => o.wall).join(' / ')} ms`,
      },
      { scenario: 'P5', name: 'JS heap after opening', unit: 'MiB', min: heap / 2 ** 20, median: heap / 2 ** 20, max: heap / 2 ** 20, goal: '<= 150 MB' },
      {
        scenario: 'P5',
        name: 'scroll frame, wall p50 / p99 / max',
        unit: 'ms',
        min: percentile(frames, 50),
        median: percentile(frames, 99),
        max: Math.max(...frames),
        reference: ONE_FRAME,
        note: `rAF to rAF while jumping through ${n} rows (${loaded} loaded by the end): p50 ${percentile(frames, 50).toFixed(1)}, p99 ${percentile(frames, 99).toFixed(1)}, max ${Math.max(...frames).toFixed(1)} ms; never below one vsync`,
      },
      {
        scenario: 'P5',
        name: 'scroll frame, main-thread CPU p50 / p99 / max',
        unit: 'ms',
        min: percentile(cpu, 50),
        median: percentile(cpu, 99),
        max: Math.max(...cpu),
        reference: ONE_FRAME,
        goal: 'p99 <= 16.7 ms, p50 <= 8 ms',
        note: `CPU of the page's main thread per frame, from a trace (${cpu.length} frames): p50 ${percentile(cpu, 50).toFixed(1)}, p99 ${percentile(cpu, 99).toFixed(1)}, max ${Math.max(...cpu).toFixed(1)} ms`,
      },
    ];
    // The reference: the same click on a workflow with a handful of events.
    await orch.cancel(r.workflowId);
    const small = await orch.start({ worktreePath: r.repo, issueId: 'SMALL' });
    await new Promise<void>((resolve) => {
      const off = orch.bus.on('workflow', (w) => w.id === small.id && w.status === 'in_progress' && (off(), resolve()));
    });
    const ref = await opens(small.id);
    out[0]!.reference = { name: 'open a 3-event workflow', median: ref.inPage };
    out[0]!.note += `; the 3-event workflow: ${ref.all.map((o) => o.inPage.toFixed(0)).join(' / ')} ms (around the click: ${ref.all.map((o) => o.wall).join(' / ')})`;
    return out;
  } finally {
    await r.done();
  }
}
