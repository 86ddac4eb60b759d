import { describe, expect, it } from 'vitest';
import { ACTIVE_STATUSES, WORKFLOW_STATUSES, isActive } from '../../shared/status';
import type { MenuSpec } from './actions';
import { buildTrayMenu, costLabel, summarize, trayState, trayTooltip, type TrayState } from './tray';
import { wf } from './testing/workflow';

type ActionItem = Extract<MenuSpec, { type: 'action' }>;
const actions = (menu: MenuSpec[]) => menu.filter((i): i is ActionItem => i.type === 'action');

/** Every subset of the active statuses, with and without an unseen failure. */
function* mixes() {
  const n = ACTIVE_STATUSES.length;
  for (let mask = 0; mask < 1 << n; mask++) {
    const statuses = ACTIVE_STATUSES.filter((_, i) => mask & (1 << i));
    for (const unseen of [0, 2]) yield { statuses, unseen };
  }
}

function expectedState(statuses: readonly string[], unseen: number): TrayState {
  if (statuses.includes('blocked')) return 'approval';
  if (unseen > 0) return 'failed';
  if (statuses.length > 0) return 'running';
  return 'idle';
}

describe('tray state for each mix of statuses', () => {
  for (const { statuses, unseen } of mixes()) {
    it(`[${statuses.join(', ') || 'none'}] with ${unseen} unseen failures`, () => {
      const active = statuses.map((s) => wf(s));
      const summary = summarize(active, unseen);
      expect(trayState(summary)).toBe(expectedState(statuses, unseen));

      const menu = buildTrayMenu(active, summary);
      const items = actions(menu);
      // One cancel per active or queued workflow, with its issue and worktree.
      const cancels = items.filter((i) => i.action.kind === 'cancel');
      expect(cancels.map((i) => (i.action as { workflowId: string }).workflowId)).toEqual(active.map((w) => w.id));
      for (const [k, w] of active.entries()) expect(cancels[k]!.label).toContain(`Cancel ${w.issueId} — ${w.worktreeName}`);
      // Approve… only for the blocked ones, opening the window at that workflow.
      const approves = items.filter((i) => i.action.kind === 'open-workflow');
      expect(approves.map((i) => (i.action as { workflowId: string }).workflowId)).toEqual(active.filter((w) => w.status === 'blocked').map((w) => w.id));
      for (const a of approves) expect(a.label.startsWith('Approve…')).toBe(true);
      // The fixed tail.
      expect(items.slice(-3).map((i) => [i.label, i.action.kind, i.enabled ?? true])).toEqual([
        ['Cancel all', 'cancel-all', active.length > 0],
        ['Show Switchyard', 'show-window', true],
        ['Quit', 'quit', true],
      ]);
      expect(menu[0]).toEqual({ type: 'label', id: 'summary', label: trayTooltip(summary) });
    });
  }

  it('the tooltip lists each active workflow with what it spent: dollars, else tokens', () => {
    const a = wf('in_progress', { usage: { inputTokens: 1200, outputTokens: 300, cachedTokens: 5000, costUsd: 0.01234 } });
    const b = wf('blocked', { usage: { inputTokens: 10_000, outputTokens: 2_345, cachedTokens: 0, costUsd: null } });
    const c = wf('queued');
    const done = wf('completed', { usage: { inputTokens: 1, outputTokens: 1, cachedTokens: 0, costUsd: 9 } });
    const tip = trayTooltip(summarize([a, b, c]), [c, done, b, a]);
    expect(tip.split('\n')).toEqual([
      'Switchyard — 1 running, 1 waiting for approval, 1 queued',
      `${a.issueId} — ${a.worktreeName}: $0.0123`,
      `${b.issueId} — ${b.worktreeName}: 12,345 tokens`,
      `${c.issueId} — ${c.worktreeName}: no usage yet`,
    ]);
    expect(costLabel({ inputTokens: 0, outputTokens: 0, cachedTokens: 0, costUsd: 12.5 })).toBe('$12.50');
    // The menu's summary label stays one line.
    expect(buildTrayMenu([a, b])[0]).toEqual({ type: 'label', id: 'summary', label: 'Switchyard — 1 running, 1 waiting for approval' });
  });

  it('ignores terminal workflows if given any', () => {
    const all = WORKFLOW_STATUSES.map((s) => wf(s));
    const summary = summarize(all);
    expect(Object.values(summary.counts).reduce((a, b) => a + b, 0)).toBe(all.filter((w) => isActive(w.status)).length);
    expect(actions(buildTrayMenu(all)).filter((i) => i.action.kind === 'cancel')).toHaveLength(ACTIVE_STATUSES.length);
  });
});

describe('tray tooltip', () => {
  it('counts running, waiting, queued and failed', () => {
    const active = [wf('in_progress'), wf('pending'), wf('blocked'), wf('queued'), wf('queued')];
    expect(trayTooltip(summarize(active, 1))).toBe('Switchyard — 2 running, 1 waiting for approval, 2 queued, 1 failed');
    expect(trayTooltip(summarize([]))).toBe('Switchyard — idle');
  });
});

describe('tray menu', () => {
  it('lists workflows oldest first, with stable ids, and escapes & in labels', () => {
    const newer = wf('in_progress', { createdAt: '2026-02-02T00:00:00.000Z', issueId: 'R&D-2' });
    const older = wf('queued', { createdAt: '2026-01-01T00:00:00.000Z' });
    const items = actions(buildTrayMenu([newer, older])).filter((i) => i.action.kind === 'cancel');
    expect(items.map((i) => i.id)).toEqual([`cancel:${older.id}`, `cancel:${newer.id}`]);
    expect(items[0]!.label).toMatch(/\(queued\)$/);
    expect(items[1]!.label).toContain('R&&D-2');
  });

  it('says so when nothing is active', () => {
    const menu = buildTrayMenu([]);
    expect(menu).toContainEqual({ type: 'label', id: 'none', label: 'No active workflows' });
  });
});

describe('tool requests in the tray (rule 11)', () => {
  const request = (summary: string) => ({ requestId: summary, stage: 'implement', tool: 'Bash', summary, input: {}, requestedAt: '2026-01-01T00:00:00.000Z' });

  it('a running workflow waiting for a tool answer is counted, shows as needing you and gets an Answer item', () => {
    const asking = wf('in_progress', { pendingPermissions: [request('Bash: npm test')] });
    const running = wf('in_progress');
    const summary = summarize([asking, running]);
    expect(summary.needsYou).toBe(1);
    expect(trayState(summary)).toBe('approval');
    expect(trayTooltip(summary, [asking, running]).split('\n')[0]).toBe('Switchyard — 2 running, 1 needs you (tool request)');
    const menu = actions(buildTrayMenu([asking, running], summary));
    expect(menu.find((i) => i.label.startsWith('Answer tool request…'))?.action).toEqual({ kind: 'open-workflow', workflowId: asking.id });
    expect(menu.find((i) => i.label.startsWith(`Cancel ${asking.issueId}`))?.label).toMatch(/\(needs you\)$/);
    // Without a waiting request it is plain running again.
    expect(trayState(summarize([running]))).toBe('running');
    expect(summarize([{ ...asking, status: 'blocked' }]).needsYou).toBe(0);
  });
});
