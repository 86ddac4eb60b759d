import { memo, useEffect, useMemo, useRef } from 'react';
import { BUILTIN_AGENTS } from '../../../shared/events';
import { isFiltering, NO_FILTER } from '../lib/eventFilter';
import { formatCount } from '../lib/format';
import { withKey } from '../lib/keymap';
import { choiceOf, EVENT_TYPE_CHOICES, GROUP_CHOICES, typesOf } from '../lib/typeChoice';
import { useApp, useEvents, useUi } from '../state/hooks';

const NO_AGENTS: readonly string[] = [];
// Built once: the bar re-renders with the event count on every pushed batch, and React skips
// reconciling an element it has seen before.
const TYPE_OPTIONS = [...GROUP_CHOICES, ...EVENT_TYPE_CHOICES].map((c) => (
  <option key={c.value} value={c.value}>{c.label}</option>
));

export const EventFilters = memo(function EventFilters({ workflowId, shown, loaded }: { workflowId: string; shown: number; loaded: number }) {
  const app = useApp();
  const filter = useUi((s) => s.filter);
  const searchRequest = useUi((s) => s.searchRequest);
  // The log keeps its agents incrementally: no scan of every loaded event per pushed batch.
  const seen = useEvents((s) => s.logs[workflowId]?.agents ?? NO_AGENTS);
  const agentOptions = useMemo(
    () => [...new Set([...BUILTIN_AGENTS, ...seen])].sort().map((a) => (
      <option key={a} value={a}>{a}</option>
    )),
    [seen],
  );
  const input = useRef<HTMLInputElement>(null);
  const set = (patch: Partial<typeof filter>) => app.stores.ui.setState((s) => ({ filter: { ...s.filter, ...patch } }));

  useEffect(() => {
    if (searchRequest > 0) input.current?.focus();
  }, [searchRequest]);

  // The controls are the same element until the filter or the agents change: the bar re-renders
  // for the count on every applied batch, and React would otherwise re-apply both selects' values
  // (a pass over every option) each time.
  const controls = useMemo(
    () => (
      <>
        <input
          ref={input}
          type="search"
          placeholder="Search events  /"
          aria-label="Search events"
          title={withKey('search')}
          value={filter.text}
          onChange={(e) => set({ text: e.target.value })}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.currentTarget.blur();
            }
          }}
        />
        <select aria-label="Filter by type" value={choiceOf(filter.types)} onChange={(e) => set({ types: typesOf(e.target.value) })}>
          <option value="">All types</option>
          {TYPE_OPTIONS}
        </select>
        <select aria-label="Filter by agent" value={filter.agents[0] ?? ''} onChange={(e) => set({ agents: e.target.value ? [e.target.value] : [] })}>
          <option value="">All agents</option>
          {agentOptions}
        </select>
        {isFiltering(filter) && (
          <button type="button" className="ghost small" onClick={() => set(NO_FILTER)}>
            Clear filters
          </button>
        )}
      </>
    ),
    [app, filter, agentOptions], // `set` closes over `app` alone
  );

  return (
    <div className="filters" role="search" aria-label="Filter events">
      {controls}
      <span className="muted small count" aria-live="polite">
        {isFiltering(filter) ? `${formatCount(shown)} of ${formatCount(loaded)} events` : `${formatCount(loaded)} events`}
      </span>
    </div>
  );
});
