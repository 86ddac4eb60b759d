// Rule 11 through the real executor, with a fixture agent speaking Claude Code's stdio permission
// protocol (test/fixtures/agents/claude-asks.mjs): requests come from its stdout, answers go to its
// stdin by request id, and a stage whose argv the channel cannot rewrite says so and runs without it.
import { afterEach, describe, expect, it } from 'vitest';
import { makeHarness, type Harness } from '../testing/harness';
import { FilePipelineSource } from './filePipelineSource';
import { ProcessExecutor } from './processExecutor';
import { agent, eventsOf, makeRepo, markedAlive, waitForEvent } from '../testing/pipelineFixtures';

let h: Harness<ProcessExecutor>;
afterEach(async () => h?.cleanup());

const asks = (args: string[], permissions: unknown = { ask: 'human' }) => ({
  pipelines: { default: { stages: [{ name: 'implement', agent: 'developer', run: agent('claude-asks.mjs', ...args), output: 'claude-stream-json', permissions }] } },
});

describe('the stdio permission channel in the executor', () => {
  it('each request waits for the person and its answer reaches the agent by its id; the stage completes and no process is left', async () => {
    h = makeHarness({ executor: new ProcessExecutor({ scanIntervalMs: 60_000 }), pipelines: new FilePipelineSource() });
    const repo = await makeRepo(h.dir, {}, asks(['-p', 'go {issueId}', '--ask', 'npm test', '--ask', 'make deploy']));
    const w = await h.orch.start({ worktreePath: repo, issueId: 'C-1' });
    for (const [command, decision] of [['npm test', 'allow'], ['make deploy', 'deny']] as const) {
      const e = await waitForEvent(h.orch, w.id, (x) => x.type === 'permission_requested' && (x.data as { summary: string }).summary === `Bash: ${command}`);
      expect(e.data).toMatchObject({ tool: 'Bash', toolUseId: command === 'npm test' ? 'toolu_0' : 'toolu_1' });
      h.orch.decidePermission({ workflowId: w.id, requestId: (e.data as { requestId: string }).requestId, decision, ...(decision === 'deny' ? { message: 'not today' } : {}) });
    }
    expect((await h.waitFor(w.id, ['completed', 'failed'])).failureReason).toBeNull();
    const results = eventsOf(h.orch, w.id).filter((e) => e.type === 'tool_result').map((e) => [e.data!.ok, e.data!.output]);
    expect(results).toEqual([
      [true, 'ran npm test'],
      [false, 'not today'],
    ]);
    expect(await markedAlive(w.id)).toEqual([]);
  });

  it('a run with no prompt right after -p runs without the channel and says why', async () => {
    h = makeHarness({ executor: new ProcessExecutor({ scanIntervalMs: 60_000 }), pipelines: new FilePipelineSource() });
    const repo = await makeRepo(h.dir, {}, asks(['--ask', 'npm test']));
    const w = await h.orch.start({ worktreePath: repo, issueId: 'C-2' });
    const warning = await waitForEvent(h.orch, w.id, (e) => e.type === 'system_warning');
    expect(warning).toMatchObject({ message: 'Stage implement: its tool requests cannot reach Switchyard: its run has no prompt right after -p', data: { reason: 'permissions_unavailable' } });
    // Without a stdin the fixture cannot read a prompt: the stage fails, visibly, instead of hanging.
    expect((await h.waitFor(w.id, ['completed', 'failed'])).status).toBe('failed');
    expect(eventsOf(h.orch, w.id).filter((e) => e.type === 'permission_requested')).toEqual([]);
  });
});
