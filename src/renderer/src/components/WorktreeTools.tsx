// Rule 13 in the main pane: the shown worktree's ports, setup and run command, each with its key,
// and their output in tabs of their own (docs/worktrees.md).
import { useEffect, useLayoutEffect, useRef } from 'react';
import { useStore } from 'zustand';
import type { Worktree, WorktreeRun } from '../../../shared/domain';
import { withKey } from '../lib/keymap';
import { useApp, useRepos, useUi, useWorkflows } from '../state/hooks';
import { runAction } from '../state/runAction';

/** The worktree the main pane shows (opened, or the opened workflow's), when it is a linked one. */
function useToolsWorktree(): Worktree | null {
  const main = useUi((s) => s.main);
  const workflowPath = useWorkflows((s) => (main.kind === 'workflow' ? (s.byId[main.id]?.worktreePath ?? null) : null));
  const target = main.kind === 'worktree' ? main.path : workflowPath;
  return useRepos((s) => {
    if (!target) return null;
    for (const list of Object.values(s.worktrees)) {
      const w = list.find((x) => x.path === target);
      if (w) return w.isMain ? null : w;
    }
    return null;
  });
}

function setupText(run: WorktreeRun | null | undefined): string {
  if (!run) return 'no setup';
  if (run.status === 'running') return 'setting up…';
  if (run.status === 'failed') return `failed${run.failedStep ? ` at step ${run.failedStep}` : ''}`;
  return 'ready';
}

function runText(run: WorktreeRun | null | undefined): string {
  if (!run) return 'not started';
  return run.status === 'running' ? 'running' : run.status === 'failed' ? 'exited with an error' : 'stopped';
}

export function WorktreeTools() {
  const app = useApp();
  const wt = useToolsWorktree();
  const panel = useStore(app.worktreeRuns.store, (s) => s.panel);
  const setupId = wt?.setup?.id ?? null;
  const runId = wt?.run?.id ?? null;
  // Follow a run while it is going (to see it end) or while its tab is shown.
  const followSetup = setupId !== null && (wt?.setup?.status === 'running' || panel === 'setup');
  const followRun = runId !== null && (wt?.run?.status === 'running' || panel === 'run');
  useEffect(() => (followSetup && setupId ? app.worktreeRuns.follow(setupId) : undefined), [app, followSetup, setupId]);
  useEffect(() => (followRun && runId ? app.worktreeRuns.follow(runId) : undefined), [app, followRun, runId]);
  if (!wt) return null;

  const running = wt.run?.status === 'running';
  const shownId = panel === 'setup' ? setupId : panel === 'run' ? runId : null;
  return (
    <section className="wt-tools" aria-label="Worktree setup and run">
      <div className="wt-tools-bar">
        {wt.portBase != null && (
          <span className="wt-ports" title="SWITCHYARD_PORT_BASE: this worktree's 10 ports">
            Ports {wt.portBase}–{wt.portBase + 9}
          </span>
        )}
        {/* Each status stays on one line with its action when the bar wraps (800 px wide). */}
        <span className="wt-pair">
          <span className={`wt-setup${wt.setup?.status === 'failed' ? ' bad' : ''}`} aria-label="Setup status">
            Setup: {setupText(wt.setup)}
          </span>
          <button type="button" className="small" title={withKey('rerunSetup', 'Re-run setup')} disabled={wt.setup?.status === 'running'} onClick={() => runAction(app, 'rerunSetup')}>
            Re-run setup
          </button>
        </span>
        <span className="wt-pair">
          <span className="wt-run" aria-label="Run status">
            Run: {runText(wt.run)}
          </span>
          <button type="button" className="small" title={withKey('toggleRun', running ? 'Stop the run command' : 'Start the run command')} onClick={() => runAction(app, 'toggleRun')}>
            {running ? 'Stop run' : 'Start run'}
          </button>
        </span>
        <button type="button" className="small" aria-expanded={panel !== null} title={withKey('worktreeOutput', 'Setup and run output')} onClick={() => runAction(app, 'worktreeOutput')}>
          Output
        </button>
      </div>
      {wt.setup?.status === 'failed' && wt.setup.failureReason && (
        <>
          <pre className="wt-failure" aria-label="Setup failure">{wt.setup.failureReason}</pre>
          <p className="wt-hint muted">The worktree is kept as it is: fix the cause there, then {withKey('rerunSetup', 'Re-run setup')}.</p>
        </>
      )}
      {panel !== null && (
        <div className="wt-output">
          <div className="tabs" role="tablist" aria-label="Worktree output">
            <button type="button" role="tab" aria-selected={panel === 'setup'} onClick={() => app.worktreeRuns.store.setState({ panel: 'setup' })}>
              Setup output
            </button>
            <button type="button" role="tab" aria-selected={panel === 'run'} onClick={() => app.worktreeRuns.store.setState({ panel: 'run' })}>
              Run output
            </button>
          </div>
          <div role="tabpanel" aria-label={panel === 'setup' ? 'Setup output' : 'Run output'} className="wt-log" tabIndex={0}>
            {shownId ? <RunLog runId={shownId} /> : <p className="muted">{panel === 'setup' ? 'No setup has run here.' : 'The run command has not been started here.'}</p>}
          </div>
        </div>
      )}
    </section>
  );
}

function RunLog({ runId }: { runId: string }) {
  const app = useApp();
  const events = useStore(app.worktreeRuns.store, (s) => s.byId[runId]);
  const ref = useRef<HTMLPreElement>(null);
  // Follow the tail (where a failing step's error is), like a terminal.
  useLayoutEffect(() => {
    const box = ref.current?.parentElement;
    if (box) box.scrollTop = box.scrollHeight;
  }, [events]);
  if (!events || events.length === 0) return <p className="muted">No output yet.</p>;
  return (
    <pre ref={ref} aria-live="polite">
      {/* An output chunk ends with its own newline; joined with one more it would leave a blank line. */}
      {events.map((e) => (e.type === 'agent_output' ? e.message.replace(/\r?\n$/, '') : `» ${e.message}`)).join('\n')}
    </pre>
  );
}
