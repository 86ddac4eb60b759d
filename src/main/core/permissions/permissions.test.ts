// Rule 11 in the orchestrator, with in-process stages that ask as a CLI would: rules first, a
// waiting request on the workflow, one compare-and-set per decision (allow and deny race), and
// every stop (cancel, budget, timeout, restart) denying what waits, with the reason.
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkflowEvent } from '../../../shared/events';
import type { Stage } from '../../../shared/pipeline';
import { makeRepo, waitForEvent } from '../testing/pipelineFixtures';
import type { PermissionAnswer, StageRun } from '../runner';
import { RepoStore } from '../store/repoStore';
import { makeHarness, type Harness } from '../testing/harness';
import { StaticPipelines } from '../testing/staticPipelines';
import { RESTART_REASON } from './broker';

const STAGES: Stage[] = [
  { name: 'implement', agent: 'developer', run: ['x'], permissions: { ask: 'human', allow: ['Bash(npm test:*)', 'Bash(rm -rf:*)'], deny: ['Bash(rm:*)'] } },
];

let h: Harness;
afterEach(async () => {
  await h?.cleanup();
});

/** A harness whose implement stage asks for each command in turn and records the answers. */
function asking(commands: string[], stages: Stage[] = STAGES) {
  h = makeHarness({ pipelines: new StaticPipelines({ default: stages }) });
  const answers: PermissionAnswer[] = [];
  const asked: Promise<PermissionAnswer>[] = [];
  let run!: StageRun;
  h.executor.set('implement', async (r) => {
    run = r;
    // Stopped (a crash-like close) while waiting: the stage returns, as a killed CLI's would.
    const aborted = new Promise<null>((resolve) => r.signal.addEventListener('abort', () => resolve(null), { once: true }));
    for (const [i, command] of commands.entries()) {
      const ask = r.permissions!.ask({ tool: 'Bash', input: { command }, toolUseId: `toolu_${i}` });
      asked.push(ask);
      const answer = await Promise.race([ask, aborted]);
      if (!answer) return { kind: 'failed', reason: 'aborted' };
      answers.push(answer);
    }
    return { kind: 'completed' };
  });
  return { answers, asked, run: () => run };
}

const of = (events: WorkflowEvent[], type: string) => events.filter((e) => e.type === type);
const eventsOf = (id: string) => h.orch.listEvents({ workflowId: id });
const requested = (id: string) => waitForEvent(h.orch, id, (e) => e.type === 'permission_requested');

describe('tool requests decided by rules', () => {
  it('a stage deny rule wins over its allow rule; an allow rule grants at once; nothing waits', async () => {
    const { answers } = asking(['rm -rf build', 'npm test -- -u']);
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'I' });
    await h.waitFor(w.id, 'completed');
    expect(answers).toEqual([{ allow: false, message: 'Denied by the rule Bash(rm:*)' }, { allow: true }]);
    const events = eventsOf(w.id);
    expect(of(events, 'permission_requested')).toEqual([]);
    expect(of(events, 'permission_denied')[0]!.data).toMatchObject({ tool: 'Bash', rule: 'Bash(rm:*)', by: 'rule' });
    expect(of(events, 'permission_granted')[0]!.data).toMatchObject({ tool: 'Bash', rule: 'Bash(npm test:*)', by: 'rule' });
  });

  it('ask "deny": what no rule covers is denied without asking', async () => {
    const { answers } = asking(['python3 x.py'], [{ name: 'implement', agent: 'developer', run: ['x'], permissions: { ask: 'deny', allow: [], deny: [] } }]);
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'I' });
    await h.waitFor(w.id, 'completed');
    expect(answers[0]).toMatchObject({ allow: false });
    expect(of(eventsOf(w.id), 'permission_denied')[0]!.data).toMatchObject({ by: 'stage' });
  });
});

describe('a request waiting for the person', () => {
  it('shows on the workflow and in its event; allow answers the stage and clears it', async () => {
    const { answers } = asking(['python3 make.py']);
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'I' });
    const ev = await requested(w.id);
    const pending = h.orch.get(w.id).pendingPermissions;
    expect(pending).toMatchObject([{ tool: 'Bash', summary: 'Bash: python3 make.py', input: { command: 'python3 make.py' }, stage: 'implement' }]);
    expect(ev.data).toMatchObject({ requestId: pending[0]!.requestId, tool: 'Bash', summary: 'Bash: python3 make.py', input: { command: 'python3 make.py' } });
    expect(h.orch.get(w.id).status).toBe('in_progress');
    const after = h.orch.decidePermission({ workflowId: w.id, requestId: pending[0]!.requestId, decision: 'allow' });
    expect(after.pendingPermissions).toEqual([]);
    await h.waitFor(w.id, 'completed');
    expect(answers).toEqual([{ allow: true }]);
    expect(of(eventsOf(w.id), 'permission_granted')[0]!.data).toMatchObject({ requestId: pending[0]!.requestId, by: 'person', rule: null });
  });

  it('deny carries the message to the stage', async () => {
    const { answers } = asking(['python3 make.py']);
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'I' });
    const { requestId } = (await requested(w.id)).data as { requestId: string };
    h.orch.decidePermission({ workflowId: w.id, requestId, decision: 'deny', message: 'use make instead' });
    await h.waitFor(w.id, 'completed');
    expect(answers).toEqual([{ allow: false, message: 'use make instead' }]);
  });

  it('bad decisions are refused with a typed error and change nothing', async () => {
    asking(['python3 make.py']);
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'I' });
    const other = await h.orch.start({ worktreePath: h.worktree('b'), issueId: 'J' });
    const { requestId } = (await requested(w.id)).data as { requestId: string };
    await requested(other.id);
    const before = eventsOf(w.id).length;
    expect(() => h.orch.decidePermission({ workflowId: w.id, requestId: 'nope', decision: 'allow' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => h.orch.decidePermission({ workflowId: other.id, requestId, decision: 'allow' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => h.orch.decidePermission({ workflowId: 'missing', requestId, decision: 'allow' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => h.orch.decidePermission({ workflowId: w.id, requestId, decision: 'allow', message: 'x' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => h.orch.decidePermission({ workflowId: w.id, requestId, decision: 'deny', remember: 'repository' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    // Not a git repository: nothing to remember the rule for.
    expect(() => h.orch.decidePermission({ workflowId: w.id, requestId, decision: 'allow', remember: 'repository' })).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
    expect(eventsOf(w.id)).toHaveLength(before);
    expect(h.orch.get(w.id).pendingPermissions.map((p) => p.requestId)).toEqual([requestId]);
    expect(() => h.orch.permissionRules('no-such-repo')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('allow and deny racing: over 20 trials exactly one wins, the other gets INVALID_STATE, the stage gets the winner', async () => {
    h = makeHarness({ pipelines: new StaticPipelines({ default: STAGES }) });
    h.orch.updateSettings({ maxConcurrent: 100 });
    const got = new Map<string, PermissionAnswer>();
    h.executor.set('implement', async (r) => {
      got.set(r.workflow.id, await r.permissions!.ask({ tool: 'Bash', input: { command: 'make' }, toolUseId: 't' }));
      return { kind: 'completed' };
    });
    for (let trial = 0; trial < 20; trial++) {
      const w = await h.orch.start({ worktreePath: h.worktree(`t${trial}`), issueId: 'I' });
      const { requestId } = (await requested(w.id)).data as { requestId: string };
      const results = await Promise.all(
        (['allow', 'deny'] as const).map(async (decision) => {
          for (let i = Math.floor(Math.random() * 4); i > 0; i--) await null;
          try {
            h.orch.decidePermission({ workflowId: w.id, requestId, decision, ...(decision === 'deny' ? { message: 'no' } : {}) });
            return decision;
          } catch (e) {
            expect(e).toMatchObject({ code: 'INVALID_STATE' });
            return null;
          }
        }),
      );
      const winners = results.filter((x) => x !== null);
      expect(winners).toHaveLength(1);
      await h.waitFor(w.id, 'completed');
      expect(got.get(w.id)).toEqual(winners[0] === 'allow' ? { allow: true } : { allow: false, message: 'no' });
      const decided = eventsOf(w.id).filter((e) => e.type === 'permission_granted' || e.type === 'permission_denied');
      expect(decided).toHaveLength(1);
      // A late decision on an answered request is refused too.
      expect(() => h.orch.decidePermission({ workflowId: w.id, requestId, decision: 'allow' })).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
    }
  });
});

describe('nothing waits forever', () => {
  it('cancel denies the open request with the reason, in the same commit as the cancel', async () => {
    const { asked } = asking(['python3 make.py']);
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'I' });
    const { requestId } = (await requested(w.id)).data as { requestId: string };
    const cancelled = await h.orch.cancel(w.id, 'changed my mind');
    expect(cancelled.pendingPermissions).toEqual([]);
    expect(await asked[0]).toEqual({ allow: false, message: 'workflow cancelled: changed my mind' });
    const denied = of(eventsOf(w.id), 'permission_denied');
    expect(denied.map((e) => e.data)).toMatchObject([{ requestId, by: 'cancel', reason: 'workflow cancelled: changed my mind' }]);
    expect(() => h.orch.decidePermission({ workflowId: w.id, requestId, decision: 'allow' })).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
  });

  it('a budget stop denies it with the budget figures', async () => {
    h = makeHarness({ pipelines: new StaticPipelines({ default: STAGES }) });
    h.orch.updateSettings({ workflowBudgetUsd: 0.01 });
    let answer: Promise<PermissionAnswer> | null = null;
    let spend!: () => void;
    h.executor.set('implement', (r) => {
      answer = r.permissions!.ask({ tool: 'Bash', input: { command: 'make' }, toolUseId: 't' });
      return new Promise((resolve) => {
        r.signal.addEventListener('abort', () => resolve({ kind: 'failed', reason: 'aborted' }), { once: true });
        spend = () => r.usage!({ inputTokens: 1, outputTokens: 1, cachedTokens: 0, costUsd: 0.5 });
      });
    });
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'I' });
    await requested(w.id);
    spend(); // past the budget while the request waits
    const failed = await h.waitFor(w.id, 'failed');
    expect(await answer).toEqual({ allow: false, message: failed.failureReason });
    expect(failed.failureReason).toMatch(/^budget exceeded/);
    expect(of(eventsOf(w.id), 'permission_denied')).toHaveLength(1);
  });

  it('permissionTimeoutSeconds denies a request nobody answers', async () => {
    const { answers } = asking(['python3 make.py']);
    h.orch.updateSettings({ permissionTimeoutSeconds: 1 });
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'I' });
    await h.waitFor(w.id, 'completed');
    expect(answers).toEqual([{ allow: false, message: 'no answer within 1 s' }]);
    expect(of(eventsOf(w.id), 'permission_denied')[0]!.data).toMatchObject({ by: 'timeout' });
  });

  it('a restart denies what was left waiting (rule 8), and the interrupted workflow shows none', async () => {
    asking(['python3 make.py']);
    const w = await h.orch.start({ worktreePath: h.worktree('a'), issueId: 'I' });
    const { requestId } = (await requested(w.id)).data as { requestId: string };
    await h.orch.close({ cancelRunning: false }); // as a crash leaves it: the request stays pending
    const orch = h.reopen();
    const after = orch.get(w.id);
    expect(after.status).toBe('failed');
    expect(after.pendingPermissions).toEqual([]);
    const denied = of(orch.listEvents({ workflowId: w.id }), 'permission_denied');
    expect(denied.map((e) => e.data)).toMatchObject([{ requestId, by: 'restart', reason: RESTART_REASON }]);
    expect(h.storage.permissions.allPending()).toEqual([]);
  });
});

describe('remembered rules of a repository', () => {
  it('"allow always" stores the exact rule; the next workflow passes without asking; rules lists it and forget removes it', async () => {
    h = makeHarness({ pipelines: new StaticPipelines({ default: STAGES }) });
    const answers: PermissionAnswer[] = [];
    h.executor.set('implement', async (r) => {
      answers.push(await r.permissions!.ask({ tool: 'Bash', input: { command: 'python3 make.py' }, toolUseId: 't' }));
      return { kind: 'completed' };
    });
    const repo = realpathSync(await makeRepo(h.dir));
    const { repo: stored } = new RepoStore(h.storage.db).add(repo, 'r', new Date().toISOString());
    const w1 = await h.orch.start({ worktreePath: repo, issueId: 'I' });
    const { requestId } = (await requested(w1.id)).data as { requestId: string };
    h.orch.decidePermission({ workflowId: w1.id, requestId, decision: 'allow', remember: 'repository' });
    await h.waitFor(w1.id, 'completed');
    expect(h.orch.permissionRules(stored.id).map((r) => r.rule)).toEqual(['Bash(python3 make.py)']);

    // Another worktree of the same repository: the rule is the repository's.
    const linked = join(h.dir, 'linked');
    execFileSync('git', ['-C', repo, 'worktree', 'add', '-q', '-b', 'other', linked]);
    const w2 = await h.orch.start({ worktreePath: linked, issueId: 'J' });
    await h.waitFor(w2.id, 'completed');
    expect(of(eventsOf(w2.id), 'permission_requested')).toEqual([]);
    expect(of(eventsOf(w2.id), 'permission_granted')[0]!.data).toMatchObject({ rule: 'Bash(python3 make.py)', by: 'rule' });
    expect(answers).toEqual([{ allow: true }, { allow: true }]);

    expect(() => h.orch.forgetPermissionRule(stored.id, 'Bash(ls)')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => h.orch.forgetPermissionRule(stored.id, 'Bash(')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(h.orch.forgetPermissionRule(stored.id, 'Bash(python3 make.py)')).toEqual([]);
  });
});
