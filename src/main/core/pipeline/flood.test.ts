// An agent that prints 100 MB: the app's memory stays bounded, the database grows by no more
// than the output budget (plus row overhead), one budget warning and the final figure are
// emitted, and the workflow still completes.
import { afterEach, describe, expect, it } from 'vitest';
import { makeHarness, type Harness } from '../testing/harness';
import { FilePipelineSource } from './filePipelineSource';
import { ProcessExecutor } from './processExecutor';
import { agent, eventsOf, makeRepo } from '../testing/pipelineFixtures';

const MB = 1024 * 1024;
const BUDGET = 1 * MB;
let h: Harness<ProcessExecutor>;
afterEach(async () => h?.cleanup());

function dbBytes(): number {
  const db = h.storage.db;
  return (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
}

describe('output flood', () => {
  it('keeps memory and the database bounded, warns, and completes', async () => {
    h = makeHarness({ executor: new ProcessExecutor(), pipelines: new FilePipelineSource() });
    h.orch.updateSettings({ outputBudgetBytes: BUDGET });
    const repo = await makeRepo(h.dir, {}, { pipelines: { default: { stages: [{ name: 'flood', agent: 'developer', run: agent('flood.mjs', '--mb', '100') }] } } });
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const dbBefore = dbBytes();
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const t0 = performance.now();
    const wf = await h.orch.start({ worktreePath: repo, issueId: 'FLOOD-1' });
    const done = await h.waitFor(wf.id, ['completed', 'failed']);
    clearInterval(sampler);
    const seconds = (performance.now() - t0) / 1000;
    expect(done.failureReason).toBeNull();

    const events = eventsOf(h.orch, wf.id);
    const output = events.filter((e) => e.type === 'agent_output');
    const outputBytes = output.reduce((n, e) => n + Buffer.byteLength(e.message), 0);
    const warnings = events.filter((e) => e.type === 'system_warning');
    expect(warnings.map((w) => w.data?.final)).toEqual([false, true]);
    const dropped = warnings[1]!.data?.droppedBytes as number;
    expect(dropped).toBeGreaterThan(99 * MB);
    const last = output[output.length - 1]!.message;
    const written = Number(/flood done: (\d+) bytes\n$/.exec(last)?.[1]);
    // Everything the agent wrote is either in the log or counted as dropped.
    expect(dropped + outputBytes).toBe(written + Buffer.byteLength(`flood done: ${written} bytes\n`));
    expect(outputBytes).toBeLessThanOrEqual(BUDGET);
    for (const e of output) expect(Buffer.byteLength(e.message)).toBeLessThanOrEqual(16 * 1024);
    // The tail is really the end of the output.
    expect(output[output.length - 1]!.message).toMatch(/flood done: \d+ bytes\n$/);
    expect(output[output.length - 1]!.data?.tail).toBe(true);

    const dbGrowth = dbBytes() - dbBefore;
    const rssGrowth = peak - rssBefore;
    console.log(
      `flood: 100 MB in ${seconds.toFixed(1)} s; ${output.length} output events, ${outputBytes} bytes kept, ${dropped} dropped; ` +
        `db +${(dbGrowth / MB).toFixed(2)} MiB; peak RSS +${(rssGrowth / MB).toFixed(1)} MiB (from ${(rssBefore / MB).toFixed(0)} MiB)`,
    );
    expect(dbGrowth).toBeLessThanOrEqual(BUDGET + 256 * 1024);
    expect(rssGrowth).toBeLessThan(64 * MB);
  });
});
