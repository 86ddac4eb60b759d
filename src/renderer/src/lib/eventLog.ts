// Pure operations on the loaded window of one workflow's event log. Sequences are gapless
// 1..N (docs/design.md rule 3), so the loaded part is always one contiguous range [first, last].
import type { WorkflowEvent } from '../../../shared/events';

export interface EventLog {
  events: WorkflowEvent[];
  /** Sequence of events[0], or 0 when nothing is loaded. */
  first: number;
  /** Sequence of the last loaded event, or 0. */
  last: number;
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  loadingOlder: boolean;
  /** The agents of the loaded events, sorted; the same array until a new agent appears (cheap to select). */
  agents: readonly string[];
}

export const emptyLog = (): EventLog => ({ events: [], first: 0, last: 0, status: 'loading', error: null, loadingOlder: false, agents: [] });

/** Adds the agents of `events` to `agents`, returning the same array when none is new. */
function withAgents(agents: readonly string[], events: readonly WorkflowEvent[]): readonly string[] {
  let added: Set<string> | null = null;
  for (const e of events) {
    if (!agents.includes(e.agent) && !added?.has(e.agent)) (added ??= new Set()).add(e.agent);
  }
  return added ? [...agents, ...added].sort() : agents;
}

/** There is something before the loaded range (sequence 1 is the first event of a workflow). */
export const hasOlder = (log: EventLog): boolean => log.first > 1;

/**
 * Appends newer events. Anything at or below `last` is a duplicate and dropped; the result stays
 * sorted. A batch that would leave a hole (starts beyond last + 1) is refused, so the caller refills.
 */
export function appendEvents(log: EventLog, batch: readonly WorkflowEvent[]): { log: EventLog; gapAfter: number | null } {
  const fresh = batch.filter((e) => e.sequence > log.last).sort((a, b) => a.sequence - b.sequence);
  if (fresh.length === 0) return { log, gapAfter: null };
  const accepted: WorkflowEvent[] = [];
  let expected = log.last === 0 && log.events.length === 0 ? fresh[0]!.sequence : log.last + 1;
  for (const event of fresh) {
    if (event.sequence < expected) continue; // duplicate inside the batch
    if (event.sequence > expected) break;
    accepted.push(event);
    expected++;
  }
  const gapAfter = accepted.length < fresh.length && fresh[fresh.length - 1]!.sequence >= expected ? expected - 1 : null;
  if (accepted.length === 0) return { log, gapAfter };
  const events = log.events.concat(accepted);
  return {
    log: { ...log, events, first: events[0]!.sequence, last: events[events.length - 1]!.sequence, agents: withAgents(log.agents, accepted) },
    gapAfter,
  };
}

/** Prepends an older page; only the part directly below `first` is kept so the range stays contiguous. */
export function prependEvents(log: EventLog, page: readonly WorkflowEvent[]): EventLog {
  if (log.events.length === 0) {
    return appendEvents({ ...log, loadingOlder: false }, page).log;
  }
  const older = page.filter((e) => e.sequence < log.first).sort((a, b) => a.sequence - b.sequence);
  // Keep only the tail of `older` that ends exactly at first - 1, without holes (a slice: it is
  // a whole page, and unshift per event was quadratic in it).
  let from = older.length;
  for (let expected = log.first - 1; from > 0 && older[from - 1]!.sequence === expected; expected--) from--;
  const kept = older.slice(from);
  if (kept.length === 0) return { ...log, loadingOlder: false };
  const events = kept.concat(log.events);
  return { ...log, events, first: events[0]!.sequence, loadingOlder: false, agents: withAgents(log.agents, kept) };
}
