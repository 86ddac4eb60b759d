// Where the page's main thread spends its time during a bench run: a V8 CPU profile (JavaScript
// self time per function) and a Chromium trace (script, style, layout, paint, GC per task).
// Opt-in with BENCH_PROFILE=<dir>: the raw files go there (open the .cpuprofile in DevTools'
// Performance panel, the trace in chrome://tracing or ui.perfetto.dev) and a summary is printed.
// BENCH_PROFILE_US sets the sampling interval (µs, default 200): a longer one slows scripts less.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}
export interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time: what the task cost, unlike `dur`, is not inflated by waiting for a core. */
  tdur?: number;
  tid: number;
  pid: number;
  args?: { name?: string };
}

export interface PageProfiler {
  stop(label: string): Promise<string>;
  /** The trace events of the last `stop` (for figures computed from them: `frameCpu`). */
  trace: TraceEvent[];
}

/** Records only the trace (no CPU sampling, nothing written): for figures computed from it. */
export async function startPageTrace(browser: Browser, page: Page): Promise<{ stop(): Promise<TraceEvent[]> }> {
  await browser.startTracing(page, { categories: ['devtools.timeline', 'blink.user_timing', 'disabled-by-default-devtools.timeline'] });
  return { stop: async () => (JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents };
}

/**
 * One task's CPU time: its thread time, which cannot exceed its wall time on one thread. A few
 * tasks a run carry a thread time up to twice their wall time (e.g. 5.5 ms wall, 13.0 ms thread
 * time), a clock artifact of the trace, and each was a run's worst frame.
 */
function taskCpu(task: TraceEvent): number {
  const wall = task.dur ?? 0;
  return task.tdur === undefined ? wall : Math.min(task.tdur, wall);
}

/**
 * The renderer main thread's CPU time (`tdur`, not inflated by waiting for a core) between
 * consecutive `performance.mark(mark)` calls, one per animation frame: the tasks that started
 * after one mark and up to the next (the frame that carries the next mark, with the scroll
 * events, React's render, layout and paint it runs, and the tasks in between), in ms.
 */
export function frameCpu(events: TraceEvent[], mark: string): number[] {
  const marks = events.filter((e) => e.name === mark && e.ph !== 'X').sort((a, b) => a.ts - b.ts);
  if (marks.length < 2) return [];
  const { pid, tid } = marks[0]!;
  const tasks = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.name === 'RunTask').sort((a, b) => a.ts - b.ts);
  const out: number[] = [];
  let t = 0;
  for (let i = 1; i < marks.length; i++) {
    let cpu = 0;
    while (t < tasks.length && tasks[t]!.ts <= marks[i - 1]!.ts) t++;
    for (; t < tasks.length && tasks[t]!.ts <= marks[i]!.ts; t++) cpu += taskCpu(tasks[t]!);
    out.push(cpu / 1000);
  }
  return out;
}

/** Starts profiling `page`; `stop(label)` writes `<label>.cpuprofile` / `<label>.trace.json` and returns a summary. */
export async function startPageProfile(browser: Browser, page: Page, dir: string): Promise<PageProfiler> {
  mkdirSync(dir, { recursive: true });
  const cdp = await page.context().newCDPSession(page);
  // The sampling profiler slows JavaScript down: BENCH_PROFILE_JS=0 records the trace alone.
  const sampling = process.env.BENCH_PROFILE_JS !== '0';
  if (sampling) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: Number(process.env.BENCH_PROFILE_US ?? 200) });
    await cdp.send('Profiler.start');
  }
  await browser.startTracing(page, { categories: ['devtools.timeline', 'v8', 'blink.user_timing', 'disabled-by-default-devtools.timeline'] });
  const profiler: PageProfiler = {
    trace: [],
    async stop(label) {
      const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
      profiler.trace = trace.traceEvents;
      writeFileSync(join(dir, `${label}.trace.json`), JSON.stringify(trace));
      let summary = summarizeTrace(trace.traceEvents);
      if (sampling) {
        const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
        writeFileSync(join(dir, `${label}.cpuprofile`), JSON.stringify(profile));
        summary += `\n${summarizeProfile(profile)}`;
      }
      await cdp.detach();
      return summary;
    },
  };
  return profiler;
}

const ms = (us: number) => (us / 1000).toFixed(1);

/**
 * Time per trace event name on the renderer's main thread, wall and CPU (nested names overlap:
 * read each on its own), and the animation frames' CPU time: the steadiest figure on a shared machine.
 */
function summarizeTrace(events: TraceEvent[]): string {
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return 'trace: no renderer main thread';
  const totals = new Map<string, { dur: number; cpu: number; n: number }>();
  const frames: number[] = [];
  for (const e of events) {
    if (e.pid !== main.pid || e.tid !== main.tid || e.ph !== 'X' || e.dur === undefined) continue;
    const t = totals.get(e.name) ?? { dur: 0, cpu: 0, n: 0 };
    t.dur += e.dur;
    t.cpu += e.tdur ?? 0;
    t.n++;
    totals.set(e.name, t);
    if (e.name === 'FireAnimationFrame') frames.push((e.tdur ?? e.dur) / 1000);
  }
  const names = ['RunTask', 'EventDispatch', 'FunctionCall', 'FireAnimationFrame', 'TimerFire', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'MinorGC', 'MajorGC'];
  const rows = names.filter((n) => totals.has(n)).map((n) => `  ${n.padEnd(20)} ${ms(totals.get(n)!.dur).padStart(8)} ${ms(totals.get(n)!.cpu).padStart(8)}  ×${totals.get(n)!.n}`);
  frames.sort((a, b) => a - b);
  const at = (p: number) => (frames[Math.min(frames.length - 1, Math.floor(p * frames.length))] ?? 0).toFixed(2);
  return `trace, renderer main thread (ms wall, ms CPU; nested names overlap):\n${rows.join('\n')}\n  animation frame callbacks, CPU per frame p50 / p90: ${at(0.5)} / ${at(0.9)} ms`;
}

/** JavaScript self time per function, the top 25. */
function summarizeProfile(profile: CpuProfile): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  const busy = [...self].filter(([k]) => !k.startsWith('(idle)') && !k.startsWith('(program)')).reduce((a, [, v]) => a + v, 0);
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 25);
  return `cpu profile: ${ms(total)} ms sampled, ${ms(busy)} ms in JavaScript (self time, top 25):\n${top.map(([k, v]) => `  ${ms(v).padStart(8)} ms  ${k}`).join('\n')}`;
}
