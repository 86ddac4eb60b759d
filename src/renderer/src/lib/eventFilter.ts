// Filtering of the event stream by type, agent and free text (pure, so it is unit-tested).
import type { EventType, WorkflowEvent } from '../../../shared/events';

export interface EventFilter {
  /** Empty = every type. */
  types: readonly EventType[];
  /** Empty = every agent. */
  agents: readonly string[];
  text: string;
}

export const NO_FILTER: EventFilter = { types: [], agents: [], text: '' };

export const isFiltering = (f: EventFilter): boolean => f.types.length > 0 || f.agents.length > 0 || f.text.trim() !== '';

export function matches(event: WorkflowEvent, filter: EventFilter, needle = filter.text.trim().toLowerCase()): boolean {
  if (filter.types.length > 0 && !filter.types.includes(event.type)) return false;
  if (filter.agents.length > 0 && !filter.agents.includes(event.agent)) return false;
  if (needle !== '' && !event.message.toLowerCase().includes(needle)) return false;
  return true;
}

export function filterEvents(events: readonly WorkflowEvent[], filter: EventFilter): readonly WorkflowEvent[] {
  if (!isFiltering(filter)) return events;
  const needle = filter.text.trim().toLowerCase();
  return events.filter((e) => matches(e, filter, needle));
}

