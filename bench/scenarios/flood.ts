// P6: the main event loop and memory while an agent floods output through the real runner.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createCore } from '../../src/main/core/createCore';
import { agent, makeRepo } from '../../src/main/core/testing/pipelineFixtures';
import { summarize, type Figure } from '../stats';
import type { Sizes } from './core';

async function measure(s: Sizes, mb: number): Promise<{ p99: number; max: number; peakRssMb: number; baseRssMb: number; seconds: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-p6-'));
  const stages = mb > 0 ? [{ name: 'flood', agent: 'developer', run: agent('flood.mjs', '--mb', String(mb)) }] : [{ name: 'idle', agent: 'developer', run: agent('hang.mjs') }];
  const repo = await makeRepo(dir, {}, { pipelines: { default: { stages } } });
  const core = createCore({ dataDir: join(dir, 'data') });
  try {
    global.gc?.();
    const baseRss = process.memoryUsage().rss;
    let peak = baseRss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const h = monitorEventLoopDelay({ resolution: 5 });
    const t0 = Date.now();
    const wf = await core.orchestrator.start({ worktreePath: repo, issueId: 'P6' });
    h.enable();
    if (mb > 0) {
      await new Promise<void>((resolve) => {
        const off = core.orchestrator.bus.on('workflow', (w) => w.id === wf.id && ['completed', 'failed'].includes(w.status) && (off(), resolve()));
      });
    } else {
      // The reference: the same process with an idle agent, over the same kind of window.
      await new Promise<void>((resolve) => setTimeout(resolve, s.quick ? 500 : 2000));
      await core.orchestrator.cancel(wf.id);
    }
    h.disable();
    clearInterval(sampler);
    return {
      p99: h.percentile(99) / 1e6,
      max: h.max / 1e6,
      peakRssMb: peak / 2 ** 20,
      baseRssMb: baseRss / 2 ** 20,
      seconds: (Date.now() - t0) / 1000,
    };
  } finally {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function p6(s: Sizes): Promise<Figure[]> {
  const mb = s.quick ? 20 : 100;
  // Each repetition is its own flood: the goal holds for every one, not for their median.
  const idle = [];
  const floods = [];
  for (let i = 0; i < s.reps; i++) {
    idle.push(await measure(s, 0));
    floods.push(await measure(s, mb));
  }
  const p99 = summarize(floods.map((f) => f.p99));
  const idleP99 = summarize(idle.map((f) => f.p99));
  const growth = summarize(floods.map((f) => f.peakRssMb - f.baseRssMb));
  return [
    {
      scenario: 'P6',
      name: `event-loop delay p99, ${mb} MB flood (${s.reps} floods)`,
      unit: 'ms',
      ...p99,
      reference: { name: 'idle agent p99', median: idleP99.median },
      ratio: `${(p99.median / idleP99.median).toFixed(2)}x`,
      goal: '<= 20 ms in each',
      note: `p99 per flood: ${floods.map((f) => f.p99.toFixed(1)).join(' / ')} ms (max ${Math.max(...floods.map((f) => f.max)).toFixed(1)} ms); idle: ${idle.map((f) => f.p99.toFixed(1)).join(' / ')} ms; ${floods.map((f) => f.seconds.toFixed(1)).join(' / ')} s`,
    },
    {
      scenario: 'P6',
      name: `peak RSS growth, ${mb} MB flood`,
      unit: 'MiB',
      ...growth,
      reference: { name: 'RSS before', median: summarize(floods.map((f) => f.baseRssMb)).median },
      goal: 'bounded',
    },
  ];
}
