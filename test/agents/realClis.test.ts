// The built-in `claude` and `codex` pipelines, run by the real CLIs (versions locked in
// test/agents/clis) against scripted API stand-ins: live typed events, the captured answer,
// the review loop, usage and budget, a fast readable 401, cancel, and garbage in the stream.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowEvent } from '../../src/shared/events';
import { eventsOf, markedAlive, waitForEvent } from '../../src/main/core/testing/pipelineFixtures';
import { cliRig, ensureClis, type Cli, type CliRig } from './realClis';
import { DEFAULT_FILE, PLAN_TEXT } from './script';

const HOLD_MS = 3_000;
const AUTH_REASON: Record<Cli, string> = {
  claude: 'Claude Code: the API refused the key (401 authentication_failed); check ANTHROPIC_API_KEY',
  codex: 'Codex CLI: the API refused the key (401 Unauthorized); check OPENAI_API_KEY (or the env_key of your model provider, or `codex login`)',
};

beforeAll(ensureClis, 600_000);

const of = (events: WorkflowEvent[], type: string, stage?: string) =>
  events.filter((e) => e.type === type && (stage === undefined || e.agent === stage || (e.data as { stage?: string } | undefined)?.stage === stage));

/** The assistant's earlier turns in a request to a model API (Anthropic `messages`, OpenAI `input`). */
function assistantTurns(body: unknown): string[] {
  const b = body as { messages?: { role: string; content: unknown }[]; input?: { role?: string; content?: unknown }[] };
  const items = b.messages ?? b.input ?? [];
  return items
    .filter((m) => m.role === 'assistant')
    .flatMap((m) => (typeof m.content === 'string' ? [m.content] : Array.isArray(m.content) ? (m.content as { text?: string }[]).map((c) => c.text ?? '') : []));
}

describe.each<Cli>(['claude', 'codex'])('the built-in %s pipeline with the real CLI', (cli) => {
  let rig: CliRig | null = null;
  afterEach(async () => {
    await rig?.cleanup();
    rig = null;
  });

  it('runs plan, approval, implement (a real tool call writes the file, live) and one review round to completed', async () => {
    rig = await cliRig(cli, { holdFinalMs: HOLD_MS });
    const { h, repo } = rig;
    const w = await h.orch.start({ worktreePath: repo, issueId: 'ISSUE-1', title: 'Say hello', pipeline: cli });
    await h.waitFor(w.id, ['blocked', 'failed']);
    expect(h.orch.get(w.id).failureReason).toBeNull();
    const gate = eventsOf(h.orch, w.id).find((e) => e.type === 'approval_required')!;
    // The plan is the CLI's answer, never the raw JSON stream.
    expect((gate.data as { plan: string }).plan).toBe(PLAN_TEXT);

    // Wait on the implement stage's tool call: it must arrive while the stage still runs.
    const toolCall = waitForEvent(h.orch, w.id, (e) => e.type === 'tool_call' && e.agent === 'developer');
    h.orch.approve(w.id);
    const call = await toolCall;
    const completedYet = eventsOf(h.orch, w.id).some((e) => e.type === 'stage_completed' && e.agent === 'developer');
    expect(completedYet).toBe(false);
    const implementDone = await waitForEvent(h.orch, w.id, (e) => e.type === 'stage_completed' && e.agent === 'developer');
    expect(Date.parse(implementDone.timestamp) - Date.parse(call.timestamp)).toBeGreaterThanOrEqual(HOLD_MS - 500);

    const done = await h.waitFor(w.id, ['completed', 'failed']);
    expect(done.failureReason).toBeNull();
    expect(done.status).toBe('completed');
    expect(readFileSync(join(repo, DEFAULT_FILE.path), 'utf8')).toBe(DEFAULT_FILE.content);

    const events = eventsOf(h.orch, w.id);
    const calls = of(events, 'tool_call', 'developer');
    expect(calls[0]!.message).toMatch(cli === 'claude' ? /^Write hello\.txt$/ : /^Bash: printf .*hello/);
    const results = of(events, 'tool_result', 'developer');
    expect(results.length).toBeGreaterThanOrEqual(1);
    expect((results[0]!.data as { ok: boolean }).ok).toBe(true);
    expect(events.some((e) => e.type === 'file_created' && (e.data as { path: string }).path === DEFAULT_FILE.path)).toBe(true);
    expect(of(events, 'agent_message', 'architect').map((e) => e.message)).toContain(PLAN_TEXT);
    // One review round asked for changes through the marker in the answer, the second approved.
    expect(of(events, 'revision_requested').map((e) => (e.data as { feedback: string }).feedback)).toEqual([
      `Looked at the diff.\nCHANGES REQUESTED: add a second line to ${DEFAULT_FILE.path}`,
    ]);
    expect(of(events, 'review_completed')).toHaveLength(1);
    // No raw record leaks into the log as text.
    expect(of(events, 'agent_output').filter((e) => e.message.includes('"type":'))).toEqual([]);

    // Usage: per-stage usage events, totals on the workflow; Claude reports a cost, Codex does not.
    expect(of(events, 'usage').length).toBeGreaterThanOrEqual(4);
    expect(done.usage.inputTokens).toBeGreaterThan(0);
    expect(done.usage.outputTokens).toBeGreaterThan(0);
    // The stand-ins report 50 cached tokens per request; the CLIs count a resumed session from its
    // start, so this only holds if each stage counts its own requests once.
    expect(done.usage.cachedTokens).toBe(50 * rig.script.seen.length);
    if (cli === 'claude') expect(done.usage.costUsd).toBeGreaterThan(0);
    else expect(done.usage.costUsd).toBeNull();

    // The implementer continued the planner's session: its first request carries the planner's
    // answer as an earlier assistant turn. The reviewer starts a fresh session.
    const modelRequests = rig.standIn.requests.filter((r) => r.path.endsWith('/messages') || r.path.endsWith('/responses'));
    const firstOf = (stage: string) => modelRequests[rig!.script.seen.findIndex((s) => s.stage === stage)]!.body;
    expect(assistantTurns(firstOf('implement'))).toContain(PLAN_TEXT);
    expect(assistantTurns(firstOf('review'))).toEqual([]);

    expect(await markedAlive(w.id)).toEqual([]);
  }, 120_000);

  it('fails within 10 s on a 401 with a reason a person acts on, and leaves no process', async () => {
    rig = await cliRig(cli, { key: 'sk-wrong-key' });
    const { h, repo } = rig;
    const t0 = Date.now();
    const w = await h.orch.start({ worktreePath: repo, issueId: 'ISSUE-2', pipeline: cli });
    const failed = await h.waitFor(w.id, ['failed', 'blocked', 'completed']);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toBe(AUTH_REASON[cli]);
    expect(await markedAlive(w.id)).toEqual([]);
  }, 60_000);

  it('cancels during a stage and leaves no process of the CLI', async () => {
    rig = await cliRig(cli, { holdPlanMs: 60_000 });
    const { h, repo } = rig;
    const asked = rig.standIn.nextRequest();
    const w = await h.orch.start({ worktreePath: repo, issueId: 'ISSUE-3', pipeline: cli });
    await asked; // the CLI is waiting on its model: the stage runs
    expect((await markedAlive(w.id)).length).toBeGreaterThan(0);
    const cancelled = await h.orch.cancel(w.id, 'test cancel');
    expect(cancelled.status).toBe('cancelled');
    expect(await markedAlive(w.id)).toEqual([]);
  }, 60_000);

  it('keeps a line of garbage in the stream as agent_output and still completes the stage', async () => {
    rig = await cliRig(cli, { wrapWithGarbage: true });
    const { h, repo } = rig;
    const w = await h.orch.start({ worktreePath: repo, issueId: 'ISSUE-4', pipeline: cli });
    const blocked = await h.waitFor(w.id, ['blocked', 'failed']);
    expect(blocked.failureReason).toBeNull();
    const events = eventsOf(h.orch, w.id);
    expect(of(events, 'agent_output', 'architect').map((e) => e.message)).toContain('this line is garbage, not JSON {\n');
    expect((events.find((e) => e.type === 'approval_required')!.data as { plan: string }).plan).toBe(PLAN_TEXT);
  }, 60_000);
});

describe('budgets with the real CLIs', () => {
  let rig: CliRig | null = null;
  afterEach(async () => {
    await rig?.cleanup();
    rig = null;
  });

  it('claude: a tiny workflowBudgetUsd stops the stage and fails the workflow with the figures; no process survives', async () => {
    rig = await cliRig('claude');
    const { h, repo } = rig;
    h.orch.updateSettings({ workflowBudgetUsd: 0.0001 });
    const w = await h.orch.start({ worktreePath: repo, issueId: 'ISSUE-5', pipeline: 'claude' });
    const failed = await h.waitFor(w.id, ['failed', 'blocked']);
    expect(failed.status).toBe('failed');
    expect(failed.failureReason).toMatch(/^budget exceeded: \$0\.\d{4} of \$0\.0001 \(stage plan was stopped\)$/);
    expect(failed.usage.costUsd).toBeGreaterThan(0.0001);
    expect(await markedAlive(w.id)).toEqual([]);
    expect(existsSync(join(repo, DEFAULT_FILE.path))).toBe(false);
  }, 60_000);

  it('codex: reports tokens but no cost, so a budget cannot stop it; the workflow says so instead of pretending', async () => {
    rig = await cliRig('codex');
    const { h, repo } = rig;
    h.orch.updateSettings({ workflowBudgetUsd: 0.0001 });
    const w = await h.orch.start({ worktreePath: repo, issueId: 'ISSUE-6', pipeline: 'codex' });
    const blocked = await h.waitFor(w.id, ['failed', 'blocked']);
    expect(blocked.status).toBe('blocked');
    const warning = eventsOf(h.orch, w.id).find((e) => e.type === 'system_warning' && (e.data as { reason?: string }).reason === 'budget_unenforceable');
    expect(warning?.message).toBe('The budget of $0.0001 cannot be enforced during stage plan: its CLI reports tokens but no cost');
    expect(await markedAlive(w.id)).toEqual([]);
  }, 60_000);
});
