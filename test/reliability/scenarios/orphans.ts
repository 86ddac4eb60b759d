// Orphans: after every kill and every cancel, no agent process of any workflow is left running.
// How a hard-killed server's agents are stopped (docs/design.md rule 8, decided by the core): each
// stage's process group is recorded in the database before the stage runs, and the next start
// kills every recorded group's processes that carry the workflow's marker. This scenario proves
// the agent really stops editing the worktree after the restart, also when it had started a
// grandchild that left the process group (setsid).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Workflow } from '../../../src/shared/domain';
import { ownWorkflowIds, tempDir } from '../lib/cleanup';
import { Client } from '../lib/client';
import { markedProcesses, pollUntil } from '../lib/proc';
import { makeRepo } from '../lib/repo';
import type { Ctx, Scenario } from '../lib/scenario';
import { ServerProcess } from '../lib/serverProcess';

const size = (f: string) => (existsSync(f) ? statSync(f).size : 0);
const lines = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').length - 1 : 0);
const pids = (ids: string[]) => markedProcesses(new Set(ids)).map((p) => `pid ${p.pid} (${p.cmd.split(' ').slice(1, 3).join(' ')})`);

export const orphans: Scenario = {
  name: 'orphans',
  summary: 'no agent survives a kill -9 of the server (reaped at restart, and stops editing) or a cancel in any state',
  async run(ctx) {
    const dir = tempDir('orphans');
    const { repo, worktrees } = makeRepo(dir, 6);
    const dataDir = join(dir, 'data');
    let server = await ServerProcess.start({ dataDir, repos: [repo] });
    let client = await Client.connect(server, 'orphans');
    await client.must('settings.set', { killGraceMs: 1000, maxConcurrent: 5 });

    const start = async (wt: number, pipeline: string, issueId = pipeline) => {
      const w = await client.must<Workflow>('workflows.start', { worktreePath: worktrees[wt], issueId, pipeline });
      ownWorkflowIds.add(w.id);
      return w;
    };
    const editing = (wt: number) => join(worktrees[wt]!, 'edits.log');

    // 1. Hard kill while agents edit: one plain, one whose grandchild left the process group.
    for (const [wt, pipeline] of [
      [0, 'editForever'],
      [1, 'editEscape'],
    ] as const) {
      const w = await start(wt, pipeline);
      ctx.check(`${pipeline}: the agent is editing`, (await pollUntil(() => lines(editing(wt)) >= 3, 10_000)) !== null, `${w.id.slice(0, 8)}: no edits within 10 s`);
    }
    const killedIds = [...ownWorkflowIds];
    await server.kill9();
    const grownFrom = [size(editing(0)), size(editing(1))];
    const grew = await pollUntil(() => size(editing(0)) > grownFrom[0]! && size(editing(1)) > grownFrom[1]!, 5_000);
    ctx.log(`after kill -9 the agents ${grew !== null ? 'kept editing the worktrees (expected: nothing stops them until the restart)' : 'stopped by themselves'}; live: ${pids(killedIds).join(', ')}`);
    ctx.check('precondition: agents outlive a hard-killed server', grew !== null, 'the edits stopped on their own; the restart check below would prove nothing');

    server = await ServerProcess.start({ dataDir, repos: [repo] });
    client = await Client.connect(server, 'orphans-2');
    for (const [i, pipeline] of ['editForever', 'editEscape'].entries()) {
      const id = killedIds[i]!;
      const gone = await pollUntil(() => markedProcesses(new Set([id])).length === 0, 3_000);
      ctx.check(`${pipeline}: every agent process is gone after the restart`, gone !== null, `still running: ${pids([id]).join(', ')}`, `${gone} ms after listening`);
    }
    const stoppedAt = [size(editing(0)), size(editing(1))];
    // A clock that does not sleep: another agent's own progress (20 edits ≈ 0.4 s of wall time).
    const clock = await start(2, 'editForever', 'clock');
    const ticked = await pollUntil(() => lines(editing(2)) >= 20, 15_000);
    ctx.check('clock agent made 20 edits', ticked !== null);
    ctx.check(
      'no edit in the interrupted worktrees after the restart, while another agent made 20',
      [0, 1].flatMap((i) => (size(editing(i)) === stoppedAt[i] ? [] : [`wt-${i}: ${stoppedAt[i]} -> ${size(editing(i))} bytes`])),
    );
    await cancelAndCheck(ctx, client, clock.id, 'a running agent');

    // 2. Cancel in every state, and with agents that resist.
    const running = await start(0, 'default', 'cancel-plan');
    await client.waitEvent(running.id, (e) => e.type === 'agent_output', 10_000);
    await cancelAndCheck(ctx, client, running.id, 'in_progress (plan stage, agent printing)');

    const gated = await start(1, 'gate', 'cancel-blocked');
    ctx.check('gate pipeline reaches blocked', (await client.waitWorkflow(gated.id, (x) => x.status === 'blocked', 15_000)) !== null);
    await cancelAndCheck(ctx, client, gated.id, 'blocked');

    await client.must('settings.set', { maxConcurrent: 1 });
    const holder = await start(3, 'editForever', 'holder');
    const queued = await client.must<Workflow>('workflows.start', { worktreePath: worktrees[4], issueId: 'queued', pipeline: 'editForever', queue: true });
    ownWorkflowIds.add(queued.id);
    ctx.check('a start beyond the limit is queued', queued.status === 'queued', queued.status);
    await cancelAndCheck(ctx, client, queued.id, 'queued');
    await cancelAndCheck(ctx, client, holder.id, 'in_progress (editing)');
    await client.must('settings.set', { maxConcurrent: 5 });

    for (const [wt, pipeline] of [
      [0, 'stubborn'],
      [1, 'stubbornEscape'],
    ] as const) {
      const w = await start(wt, pipeline);
      await client.waitEvent(w.id, (e) => e.type === 'agent_output' && e.message.includes('ready'), 10_000);
      await cancelAndCheck(ctx, client, w.id, `${pipeline} (ignores SIGTERM, grandchild${pipeline === 'stubbornEscape' ? ' outside the group' : ''})`);
    }

    const many = await Promise.all([0, 1, 2, 3].map((wt) => start(wt, 'editForever', `all-${wt}`)));
    await Promise.all(many.map((w) => client.waitEvent(w.id, (e) => e.type === 'agent_output', 10_000)));
    const all = await client.call('workflows.cancelAll', { reason: 'orphans: cancelAll' });
    const left = pids(many.map((w) => w.id));
    ctx.check('cancelAll: answered, and no agent of the 4 workflows is alive when it answers', all.ok && left.length === 0, all.ok ? left.join(', ') : JSON.stringify(all));

    await client.close();
    const stop = await server.stop();
    ctx.check('clean stop', stop.code === 0, JSON.stringify(stop));
    ctx.check('no agent of any workflow is alive after the stop', pids([...ownWorkflowIds]), `${ownWorkflowIds.size} workflows`);
  },
};

/** Cancels and checks that the answer comes only once every process of the workflow is gone. */
async function cancelAndCheck(ctx: Ctx, client: Client, workflowId: string, what: string): Promise<void> {
  const t0 = Date.now();
  const a = await client.call('workflows.cancel', { workflowId, reason: `orphans: ${what}` });
  const ms = Date.now() - t0;
  const left = pids([workflowId]);
  ctx.check(
    `cancel ${what}: cancelled, no process left when it answers`,
    a.ok && (a.result as Workflow).status === 'cancelled' && left.length === 0,
    a.ok ? `alive: ${left.join(', ')}` : JSON.stringify(a),
    `answered in ${ms} ms`,
  );
}
