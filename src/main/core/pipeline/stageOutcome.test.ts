// One stageOutcome() for every stage: a text stage and the structured streams of Claude Code and
// Codex CLI are told apart only by their evidence, so they end in the same words.
import { describe, expect, it } from 'vitest';
import { recordedLines } from '../../../../test/agents/recordedSink';
import type { EventDraft } from '../../../shared/events';
import type { CommandStage } from '../../../shared/pipeline';
import { streamFormat } from '../agents/registry';
import { TailBuffer } from './bytes';
import { OutputCollector } from './outputCollector';
import { StdoutPlan } from './planCapture';
import { stageOutcome, textEvidence, type StageEnding } from './stageOutcome';
import { StructuredOutput } from './streams/structuredOutput';

const LOST: StageEnding = { kind: 'exit', code: null, signal: null };
const KILLED: StageEnding = { kind: 'exit', code: null, signal: 'SIGKILL' };
const OK: StageEnding = { kind: 'exit', code: 0, signal: null };

const stage = (extra: Partial<CommandStage> = {}): CommandStage => ({ name: 'implement', agent: 'developer', run: ['x'], ...extra });

/** The evidence of a structured stage that read `lines` of its CLI's stream. */
async function streamed(format: 'claude-stream-json' | 'codex-json', lines: string[], stderr = '') {
  const emit = async (_d: EventDraft) => undefined;
  const collector = new OutputCollector({ emit, agent: 'developer', stage: 'implement', budgetBytes: 1024 * 1024, flushMs: 1 });
  const out = new StructuredOutput({ stream: streamFormat(format)!, agent: 'developer', stage: 'implement', cwd: '/tmp/wt', emit, collector });
  for (const l of lines) out.push(Buffer.from(`${l}\n`));
  await out.finish();
  await collector.finish();
  return out.evidence(stderr);
}

function text(stdout: string, stderr = '', capture = false) {
  const out = new TailBuffer(8 * 1024);
  const err = new TailBuffer(8 * 1024);
  out.push(Buffer.from(stdout));
  err.push(Buffer.from(stderr));
  const plan = capture ? new StdoutPlan() : null;
  plan?.push(Buffer.from(stdout));
  return textEvidence(out, err, plan);
}

describe('a stage whose exit status is lost, or that a signal killed', () => {
  const claudeRun = () => recordedLines('claude-implement.jsonl').filter((l) => !l.includes('"type":"result"'));
  const codexRun = () => recordedLines('codex-implement.jsonl').filter((l) => !l.includes('"turn.completed"'));

  it('Claude Code: says the process runner stopped, never "killed by null"', async () => {
    const o = await stageOutcome(stage({ output: 'claude-stream-json' }), LOST, '/tmp/wt', await streamed('claude-stream-json', claudeRun()));
    expect(o).toEqual({ kind: 'failed', reason: 'Stage implement lost its exit status (the process runner stopped) and was stopped; last output: I will write hello.txt.\nWrote hello.txt.' });
  });

  it('Codex CLI: the same words', async () => {
    const o = await stageOutcome(stage({ output: 'codex-json' }), LOST, '/tmp/wt', await streamed('codex-json', codexRun(), 'codex: connection reset'));
    expect(o).toEqual({ kind: 'failed', reason: 'Stage implement lost its exit status (the process runner stopped) and was stopped: codex: connection reset' });
  });

  it('names the signal that killed a Claude, a Codex and a text stage', async () => {
    const claude = await stageOutcome(stage({ output: 'claude-stream-json' }), KILLED, '/tmp/wt', await streamed('claude-stream-json', claudeRun()));
    const codex = await stageOutcome(stage({ output: 'codex-json' }), KILLED, '/tmp/wt', await streamed('codex-json', []));
    const plain = await stageOutcome(stage(), KILLED, '/tmp/wt', text('working...\n'));
    expect(claude).toEqual({ kind: 'failed', reason: 'Stage implement was killed by SIGKILL; last output: I will write hello.txt.\nWrote hello.txt.' });
    expect(codex).toEqual({ kind: 'failed', reason: 'Stage implement was killed by SIGKILL (no output)' });
    expect(plain).toEqual({ kind: 'failed', reason: 'Stage implement was killed by SIGKILL; last output: working...' });
    expect(JSON.stringify([claude, codex, plain])).not.toContain('null');
  });

  it('a text stage whose exit status is lost says so too', async () => {
    expect(await stageOutcome(stage(), LOST, '/tmp/wt', text('', 'boom'))).toEqual({ kind: 'failed', reason: 'Stage implement lost its exit status (the process runner stopped) and was stopped: boom' });
  });
});

describe('stageOutcome', () => {
  it('a timeout and a fatal stream error win over everything else', async () => {
    expect(await stageOutcome(stage({ timeoutSeconds: 5 }), { kind: 'timeout' }, '/tmp/wt', text('x'))).toEqual({ kind: 'failed', reason: 'Stage implement timed out after 5 s' });
    expect(await stageOutcome(stage(), { kind: 'fatal', reason: 'Claude Code: the API refused the key' }, '/tmp/wt', text('x'))).toEqual({ kind: 'failed', reason: 'Claude Code: the API refused the key' });
  });

  it('the CLI’s own failure wins over a clean exit', async () => {
    const result = { type: 'result', subtype: 'error_max_budget_usd', is_error: true, errors: ['Reached maximum budget ($0.0001)'], session_id: 's1' };
    const o = await stageOutcome(stage({ output: 'claude-stream-json' }), OK, '/tmp/wt', await streamed('claude-stream-json', [JSON.stringify(result)]));
    expect(o).toEqual({ kind: 'failed', reason: 'Stage implement failed: Claude Code: Reached maximum budget ($0.0001)' });
  });

  it('review: exit 3 or a marker line in stdout (text) or in the final answer (a stream) requests changes', async () => {
    const review = { onChangesRequested: 'implement', maxRevisions: 2, changesRequestedMarker: 'CHANGES REQUESTED' };
    expect(await stageOutcome(stage({ review }), { kind: 'exit', code: 3, signal: null }, '/tmp/wt', text('Add tests\n'))).toEqual({ kind: 'changes_requested', feedback: 'Add tests' });
    expect(await stageOutcome(stage({ review }), OK, '/tmp/wt', text('Looked.\nCHANGES REQUESTED: add tests\n'))).toEqual({ kind: 'changes_requested', feedback: 'Looked.\nCHANGES REQUESTED: add tests' });
    const answer = { type: 'result', subtype: 'success', is_error: false, result: 'CHANGES REQUESTED: add tests', session_id: 'S' };
    const o = await stageOutcome(stage({ review, output: 'claude-stream-json' }), OK, '/tmp/wt', await streamed('claude-stream-json', [JSON.stringify(answer)]));
    expect(o).toMatchObject({ kind: 'changes_requested', feedback: 'CHANGES REQUESTED: add tests', sessionId: 'S' });
    expect(await stageOutcome(stage({ review }), OK, '/tmp/wt', text('APPROVED\n'))).toEqual({ kind: 'completed' });
  });

  it('captures the plan from stdout (text) or the final answer (a stream), and says when there is none', async () => {
    expect(await stageOutcome(stage({ captureAs: 'plan' }), OK, '/tmp/wt', text('1. Do it\n', '', true))).toEqual({ kind: 'completed', plan: { text: '1. Do it', file: null } });
    const claude = await stageOutcome(stage({ captureAs: 'plan', output: 'claude-stream-json' }), OK, '/tmp/wt', await streamed('claude-stream-json', recordedLines('claude-implement.jsonl')));
    expect(claude).toMatchObject({ kind: 'completed', plan: { text: 'Wrote hello.txt.', file: null } });
    const none = await stageOutcome(stage({ captureAs: 'plan', output: 'codex-json' }), OK, '/tmp/wt', await streamed('codex-json', []));
    expect(none).toEqual({
      kind: 'failed',
      reason: 'Stage implement exited 0 but its agent gave no final answer to capture as the plan: its output is codex-json, but no record of that format came on stdout; does its run have `codex exec --json …`?',
    });
  });

  it('captureFrom reads the plan file, or fails saying it is missing', async () => {
    expect(await stageOutcome(stage({ captureAs: 'plan', captureFrom: 'PLAN.md' }), OK, '/nonexistent-worktree', text(''))).toEqual({
      kind: 'failed',
      reason: 'Stage implement exited 0 but the stage did not write its plan file PLAN.md',
    });
  });
});
