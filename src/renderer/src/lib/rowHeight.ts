// The virtualized list's first guess of a row's height, before it is measured: close guesses keep
// the scrollbar honest and the list from jumping as tall rows (messages, multi-line output) mount.
import type { WorkflowEvent } from '../../../shared/events';

/** A one-line row's height, whatever its type (a one-line markdown message is the tallest: 27 px). */
export const ROW_HEIGHT = 27;
/** What the collapsed rows show at most (AgentMessage, the agent output's max-height in events.css). */
export const MESSAGE_LINES = 14;
const OUTPUT_LINES = 24;
/** Output shorter than this is scanned for a line break on every call rather than cached. */
const SHORT = 160;

/** Lines of `s`, counting no further than `max`. */
export function lineCount(s: string, max: number): number {
  let n = 1;
  for (let i = s.indexOf('\n'); i >= 0 && n < max; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

// The virtualizer asks for every row's estimate again whenever the list grows: remember each.
const estimates = new WeakMap<WorkflowEvent, number>();

export function estimateRowHeight(event: WorkflowEvent): number {
  // Most types are one line: no lookup (the virtualizer asks for every row of a 100,000-row log
  // on each change of the list, so this runs millions of times while older pages load).
  if (event.type !== 'agent_message' && event.type !== 'agent_output') return ROW_HEIGHT;
  // A short output line (most of them): one line, found faster than a WeakMap lookup.
  if (event.type === 'agent_output' && event.message.length < SHORT && event.message.indexOf('\n') < 0) return ROW_HEIGHT;
  let height = estimates.get(event);
  if (height === undefined) estimates.set(event, (height = estimate(event)));
  return height;
}

function estimate(event: WorkflowEvent): number {
  if (event.type === 'agent_message') {
    const lines = lineCount(event.message, MESSAGE_LINES + 1);
    // Markdown lines are ~20 px (one line makes a 27 px row); a cut message adds its "Show all" button.
    return Math.max(ROW_HEIGHT, 7 + 20 * Math.min(lines, MESSAGE_LINES) + (lines > MESSAGE_LINES ? 24 : 0));
  }
  if (event.type === 'agent_output') return Math.max(ROW_HEIGHT, 8 + 17.4 * lineCount(event.message, OUTPUT_LINES));
  return ROW_HEIGHT;
}
