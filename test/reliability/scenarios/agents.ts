// Misbehaving agents, through the real server: one that ignores SIGTERM and has a grandchild
// (in the group, and one that left it), a 100 MB output flood (server memory sampled from
// /proc), one that exits 1 mid-pipeline, one that closes stdout but keeps running, and a stage
// timeout. After each: the workflow's outcome, the reason the user sees, and no process left.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Workflow } from '../../../src/shared/domain';
import type { WorkflowEvent } from '../../../src/shared/events';
import { ownWorkflowIds, tempDir } from '../lib/cleanup';
import { Client } from '../lib/client';
import { snapshot } from '../lib/db';
import { markedProcesses, pollUntil } from '../lib/proc';
import { makeRepo } from '../lib/repo';
import type { Scenario } from '../lib/scenario';
import { ServerProcess } from '../lib/serverProcess';

const GRACE_MS = 1000;
/**
 * The flood is 100 MB; the server may hold a bounded tail of it (the output budget, 8 MB by
 * default) and garbage not yet collected, never the flood itself: a server that buffered it
 * would grow by more than 100 MB. Measured: +45 MB.
 */
const MAX_RSS_GROWTH_MB = 80;
const FLOOD_MB = 100;

const ended = (w: Workflow) => w.status === 'completed' || w.status === 'failed' || w.status === 'cancelled';
const left = (id: string) => markedProcesses(new Set([id])).map((p) => `pid ${p.pid} ${p.cmd.slice(0, 80)}`);

export const agents: Scenario = {
  name: 'agents',
  summary: 'SIGTERM-ignoring agent with grandchild, 100 MB flood (RSS sampled), exit 1 mid-pipeline, closed stdout, stage timeout',
  async run(ctx) {
    const dir = tempDir('agents');
    const { repo, worktrees, stateDir } = makeRepo(dir, 5);
    const dataDir = join(dir, 'data');
    const server = await ServerProcess.start({ dataDir, repos: [repo] });
    const client = await Client.connect(server, 'agents');
    await client.must('settings.set', { killGraceMs: GRACE_MS });
    const start = async (wt: number, pipeline: string) => {
      const w = await client.must<Workflow>('workflows.start', { worktreePath: worktrees[wt], issueId: pipeline, pipeline });
      ownWorkflowIds.add(w.id);
      return w;
    };
    const events = async (id: string) => client.must<WorkflowEvent[]>('events.list', { workflowId: id, limit: 5000 });

    // 1. SIGTERM ignored, grandchild in the group / outside it (setsid): dead within grace + 1 s.
    for (const [wt, pipeline] of [
      [0, 'stubborn'],
      [1, 'stubbornEscape'],
    ] as const) {
      const w = await start(wt, pipeline);
      const ready = await client.waitEvent(w.id, (e) => e.type === 'agent_output' && /grandchild ready|ready parent=/.test(e.message), 15_000);
      const before = markedProcesses(new Set([w.id])).length;
      const t0 = Date.now();
      const a = await client.call('workflows.cancel', { workflowId: w.id, reason: 'stubborn agent' });
      const deadIn = await pollUntil(() => left(w.id).length === 0, GRACE_MS + 3_000, 5);
      const total = Date.now() - t0;
      ctx.check(
        `${pipeline}: ${before} processes ignoring SIGTERM are dead within grace + 1 s after cancel`,
        Boolean(ready) && a.ok && deadIn !== null && total <= GRACE_MS + 1000,
        `ready=${Boolean(ready)} answer=${JSON.stringify(a).slice(0, 120)} left=${left(w.id).join(', ')}`,
        `answered after ${total - (deadIn ?? 0)} ms, all dead ${total} ms after the cancel was sent (grace ${GRACE_MS} ms)`,
      );
    }

    // 2. 100 MB flood: the server's RSS stays bounded and it stays responsive.
    const baseline = server.rssKb()!;
    const flood = await start(2, 'flood');
    let peak = baseline;
    let samples = 0;
    const rtts: number[] = [];
    let flooding = true;
    const sampler = (async () => {
      while (flooding) {
        peak = Math.max(peak, server.rssKb() ?? 0);
        samples++;
        const t = performance.now();
        await client.call('workflows.get', { workflowId: flood.id });
        rtts.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 10)); // sampling period, not synchronisation
      }
    })();
    const floodEnd = await client.waitWorkflow(flood.id, ended, 180_000);
    flooding = false;
    await sampler;
    const growthMb = (peak - baseline) / 1024;
    ctx.check('flood: the workflow completes', floodEnd?.status === 'completed', `status ${floodEnd?.status}: ${floodEnd?.failureReason}`);
    ctx.check(
      `flood: server RSS grows by less than ${MAX_RSS_GROWTH_MB} MB while ${FLOOD_MB} MB go through it`,
      growthMb < MAX_RSS_GROWTH_MB,
      `grew ${growthMb.toFixed(0)} MB`,
      `baseline ${(baseline / 1024).toFixed(0)} MB, peak ${(peak / 1024).toFixed(0)} MB (+${growthMb.toFixed(0)} MB), ${samples} samples`,
    );
    const floodEvents = await events(flood.id);
    const outputBytes = floodEvents.filter((e) => e.type === 'agent_output').reduce((n, e) => n + Buffer.byteLength(e.message), 0);
    const settings = await client.must<{ outputBudgetBytes: number }>('settings.get', {});
    ctx.check(
      'flood: stored output is bounded by the output budget, and its tail (the last line) is kept',
      outputBytes <= settings.outputBudgetBytes * 1.25 && floodEvents.some((e) => e.message.includes('flood done')),
      `${(outputBytes / 1048576).toFixed(1)} MB stored, budget ${(settings.outputBudgetBytes / 1048576).toFixed(1)} MB, last line ${floodEvents.some((e) => e.message.includes('flood done')) ? 'kept' : 'missing'}`,
      `${(outputBytes / 1048576).toFixed(1)} MB in ${floodEvents.length} events`,
    );
    rtts.sort((a, b) => a - b);
    ctx.check('flood: the server answered every call during the flood in under 2 s', (rtts.at(-1) ?? 0) < 2000, `max ${rtts.at(-1)?.toFixed(0)} ms`, `${rtts.length} calls, max ${rtts.at(-1)?.toFixed(0)} ms`);
    ctx.figure('flood peak RSS MB', `${(peak / 1024).toFixed(0)} (+${growthMb.toFixed(0)})`);

    // 3. Exit 1 mid-pipeline: failed with the exit code and stderr; later stages never run.
    const mid = await start(3, 'exitMidStage');
    const midEnd = await client.waitWorkflow(mid.id, ended, 30_000);
    const midEvents = await events(mid.id);
    ctx.check(
      'exit 1 mid-pipeline: failed, the reason names the exit code and the stderr, the next stage never ran',
      midEnd?.status === 'failed' &&
        /exited with code 1/.test(midEnd.failureReason ?? '') &&
        /compiler exploded/.test(midEnd.failureReason ?? '') &&
        !midEvents.some((e) => e.type === 'stage_started' && (e.data as { stage?: string })?.stage === 'review') &&
        !existsSync(join(stateDir, 'never-reached')) &&
        left(mid.id).length === 0,
      `${midEnd?.status}: ${midEnd?.failureReason}`,
      `"${midEnd?.failureReason}"`,
    );

    // 4. Closes stdout but keeps running: the stage waits for the exit, not for the pipe.
    const det = await start(4, 'detachStdout');
    const detEnd = await client.waitWorkflow(det.id, ended, 30_000);
    const wrote = existsSync(join(worktrees[4]!, 'after-close.txt'));
    ctx.check(
      'closed stdout: the stage waits for the exit (its late work is done), completes, and its background grandchild is killed',
      detEnd?.status === 'completed' && wrote && left(det.id).length === 0,
      `status ${detEnd?.status} (${detEnd?.failureReason}), after-close.txt ${wrote ? 'written' : 'missing'}, left: ${left(det.id).join(', ')}`,
    );

    // 5. A stage timeout.
    const slow = await start(0, 'timeout');
    const t0 = Date.now();
    const slowEnd = await client.waitWorkflow(slow.id, ended, 30_000);
    const took = Date.now() - t0;
    ctx.check(
      'stage timeout (1 s): failed with "timed out", processes gone',
      slowEnd?.status === 'failed' && /timed out after 1 s/.test(slowEnd.failureReason ?? '') && left(slow.id).length === 0,
      `${slowEnd?.status}: ${slowEnd?.failureReason}`,
      `ended ${took} ms after the start: "${slowEnd?.failureReason}"`,
    );

    const s = snapshot(dataDir);
    ctx.check('database intact afterwards', s.integrity === 'ok', s.integrity);
    await client.close();
    const stop = await server.stop();
    ctx.check('clean stop, no agent left', stop.code === 0 && markedProcesses(ownWorkflowIds).length === 0, JSON.stringify(stop));
  },
};
