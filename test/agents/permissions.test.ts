// Rule 11 with the real Claude Code CLI (version locked in test/agents/clis) against the scripted
// API: its Bash requests reach the orchestrator over the stage's own stdin/stdout
// (`--permission-prompt-tool stdio`), and each answer reaches the CLI by its request id.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowEvent } from '../../src/shared/events';
import type { PipelineDef } from '../../src/shared/pipeline';
import { eventsOf, markedAlive, waitForEvent } from '../../src/main/core/testing/pipelineFixtures';
import { RepoStore } from '../../src/main/core/store/repoStore';
import { cliRig, ensureClis, type CliRig } from './realClis';

beforeAll(ensureClis, 600_000);

const writeCmd = (file: string) => `node -e "require('fs').writeFileSync('${file}', 'written by ${file}')"`;
const IMPLEMENT_ONLY: PipelineDef = {
  stages: [
    {
      name: 'implement',
      agent: 'developer',
      run: ['claude', '-p', 'Implement the following plan in the repository in the current directory.\n\n{prompt}', '--permission-mode', 'acceptEdits', '--output-format', 'stream-json', '--verbose'],
      output: 'claude-stream-json',
      permissions: { ask: 'human', allow: [], deny: [] },
    },
  ],
};
const WITHOUT_CHANNEL: PipelineDef = { stages: [{ ...IMPLEMENT_ONLY.stages[0]!, permissions: undefined }] };

const of = (events: WorkflowEvent[], type: string) => events.filter((e) => e.type === type);
const requestIdOf = (e: WorkflowEvent) => (e.data as { requestId: string }).requestId;

/** The tool results the CLI sent back to the model, by tool_use id. */
function toolResultsSeen(rig: CliRig): Map<string, { content: unknown; is_error?: boolean }> {
  const out = new Map<string, { content: unknown; is_error?: boolean }>();
  for (const r of rig.standIn.requests) {
    for (const m of (r.body as { messages?: { content: unknown }[] }).messages ?? []) {
      if (!Array.isArray(m.content)) continue;
      for (const b of m.content as { type: string; tool_use_id?: string; content: unknown; is_error?: boolean }[]) {
        if (b.type === 'tool_result' && b.tool_use_id) out.set(b.tool_use_id, b);
      }
    }
  }
  return out;
}
const text = (content: unknown) => (typeof content === 'string' ? content : JSON.stringify(content));

describe('tool approvals with the real Claude Code CLI', () => {
  let rig: CliRig | null = null;
  afterEach(async () => {
    await rig?.cleanup();
    rig = null;
  });

  it('built-in claude pipeline: a Bash call of implement waits for the person; "allow always" runs it and the next workflow of the repository passes without asking', async () => {
    rig = await cliRig('claude', { implementBash: [writeCmd('a.txt')], reviewRounds: 0 });
    const { h, repo } = rig;
    const repoId = new RepoStore(h.storage.db).add(realpathSync(repo), 'repo', new Date().toISOString()).repo.id;
    const w = await h.orch.start({ worktreePath: repo, issueId: 'P-1', pipeline: 'claude' });
    await h.waitFor(w.id, ['blocked', 'failed']);
    const asked = waitForEvent(h.orch, w.id, (e) => e.type === 'permission_requested');
    h.orch.approve(w.id);
    const request = await asked;
    expect(request.data).toMatchObject({ tool: 'Bash', summary: `Bash: ${writeCmd('a.txt')}`, stage: 'implement' });
    const waiting = h.orch.get(w.id);
    expect(waiting.status).toBe('in_progress');
    expect(waiting.pendingPermissions.map((p) => p.requestId)).toEqual([requestIdOf(request)]);
    expect(existsSync(join(repo, 'a.txt'))).toBe(false);

    h.orch.decidePermission({ workflowId: w.id, requestId: requestIdOf(request), decision: 'allow', remember: 'repository' });
    const done = await h.waitFor(w.id, ['completed', 'failed']);
    expect(done.failureReason).toBeNull();
    expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('written by a.txt');
    const results = of(eventsOf(h.orch, w.id), 'tool_result').filter((e) => e.agent === 'developer');
    expect(results.map((e) => (e.data as { ok: boolean }).ok)).toEqual([true]);
    expect(h.orch.permissionRules(repoId).map((r) => r.rule)).toEqual([`Bash(${writeCmd('a.txt')})`]);
    // Nothing the CLI refused by itself: the request went through Switchyard.
    expect(of(eventsOf(h.orch, w.id), 'permission_denied')).toEqual([]);

    // The same call in another worktree of the repository: allowed by the remembered rule.
    const linked = join(rig.home, 'linked');
    execFileSync('git', ['-C', repo, 'worktree', 'add', '-q', '-b', 'second', linked]);
    h.orch.updateSettings({ pipelinePresets: { ask: IMPLEMENT_ONLY } });
    const w2 = await h.orch.start({ worktreePath: linked, issueId: 'P-2', pipeline: 'ask' });
    expect((await h.waitFor(w2.id, ['completed', 'failed'])).failureReason).toBeNull();
    const events2 = eventsOf(h.orch, w2.id);
    expect(of(events2, 'permission_requested')).toEqual([]);
    expect(of(events2, 'permission_granted').map((e) => e.data)).toMatchObject([{ by: 'rule', rule: `Bash(${writeCmd('a.txt')})` }]);
    expect(existsSync(join(linked, 'a.txt'))).toBe(true);
    expect(await markedAlive(w.id)).toEqual([]);
  }, 120_000);

  it('two parallel calls are answered each by its own decision (matched by id): one denied with a message the CLI passes on, one allowed; the stage goes on', async () => {
    rig = await cliRig('claude', { implementBash: [writeCmd('a.txt'), writeCmd('b.txt')] });
    const { h, repo } = rig;
    h.orch.updateSettings({ pipelinePresets: { ask: IMPLEMENT_ONLY } });
    const w = await h.orch.start({ worktreePath: repo, issueId: 'P-3', pipeline: 'ask' });
    // Claude Code 2.1 asks for the calls of one message one after the other (each its own request id).
    const toolUse = new Map<string, string>();
    for (const [file, decision] of [['a.txt', 'deny'], ['b.txt', 'allow']] as const) {
      const request = await waitForEvent(h.orch, w.id, (e) => e.type === 'permission_requested' && (e.data as { summary: string }).summary.includes(file));
      toolUse.set(file, (request.data as { toolUseId: string }).toolUseId);
      h.orch.decidePermission({ workflowId: w.id, requestId: requestIdOf(request), decision, ...(decision === 'deny' ? { message: `not ${file}, please` } : {}) });
    }
    const done = await h.waitFor(w.id, ['completed', 'failed']);
    expect(done.failureReason).toBeNull();
    expect(existsSync(join(repo, 'a.txt'))).toBe(false);
    expect(readFileSync(join(repo, 'b.txt'), 'utf8')).toBe('written by b.txt');
    const seen = toolResultsSeen(rig);
    expect(seen.get(toolUse.get('a.txt')!)).toMatchObject({ is_error: true, content: 'not a.txt, please' });
    expect(seen.get(toolUse.get('b.txt')!)?.is_error).not.toBe(true);
    // The CLI lists our denial in permission_denials too: it is shown once, not twice.
    expect(of(eventsOf(h.orch, w.id), 'permission_denied').map((e) => e.data)).toMatchObject([{ by: 'person', reason: 'not a.txt, please' }]);
  }, 60_000);

  it('cancel while a request waits leaves no process, and the request is denied with the reason', async () => {
    rig = await cliRig('claude', { implementBash: [writeCmd('a.txt')] });
    const { h, repo } = rig;
    h.orch.updateSettings({ pipelinePresets: { ask: IMPLEMENT_ONLY } });
    const w = await h.orch.start({ worktreePath: repo, issueId: 'P-4', pipeline: 'ask' });
    const request = await waitForEvent(h.orch, w.id, (e) => e.type === 'permission_requested');
    expect((await markedAlive(w.id)).length).toBeGreaterThan(0);
    await h.orch.cancel(w.id, 'stop it');
    expect(await markedAlive(w.id)).toEqual([]);
    expect(of(eventsOf(h.orch, w.id), 'permission_denied').map((e) => e.data)).toMatchObject([{ requestId: requestIdOf(request), reason: 'workflow cancelled: stop it' }]);
    expect(existsSync(join(repo, 'a.txt'))).toBe(false);
  }, 60_000);

  it('a request nobody answers is denied at permissionTimeoutSeconds; the CLI reads why and the stage ends', async () => {
    rig = await cliRig('claude', { implementBash: [writeCmd('a.txt')] });
    const { h, repo } = rig;
    h.orch.updateSettings({ pipelinePresets: { ask: IMPLEMENT_ONLY }, permissionTimeoutSeconds: 1 });
    const w = await h.orch.start({ worktreePath: repo, issueId: 'P-5', pipeline: 'ask' });
    expect((await h.waitFor(w.id, ['completed', 'failed'])).failureReason).toBeNull();
    expect(of(eventsOf(h.orch, w.id), 'permission_denied').map((e) => e.data)).toMatchObject([{ by: 'timeout', reason: 'no answer within 1 s' }]);
    expect([...toolResultsSeen(rig).values()].map((r) => text(r.content))).toEqual(['no answer within 1 s']);
    expect(existsSync(join(repo, 'a.txt'))).toBe(false);
  }, 60_000);

  it("without a permission channel the CLI refuses on its own, and its permission_denials show as permission_denied", async () => {
    rig = await cliRig('claude', { implementBash: [writeCmd('a.txt')] });
    const { h, repo } = rig;
    h.orch.updateSettings({ pipelinePresets: { plain: WITHOUT_CHANNEL } });
    const w = await h.orch.start({ worktreePath: repo, issueId: 'P-6', pipeline: 'plain' });
    expect((await h.waitFor(w.id, ['completed', 'failed'])).failureReason).toBeNull();
    expect(of(eventsOf(h.orch, w.id), 'permission_requested')).toEqual([]);
    expect(of(eventsOf(h.orch, w.id), 'permission_denied').map((e) => e.data)).toMatchObject([{ by: 'cli', tool: 'Bash', summary: `Bash: ${writeCmd('a.txt')}` }]);
  }, 60_000);
});
