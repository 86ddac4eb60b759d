// Which DOM row shows which event in the virtualized stream. A jump through a long log replaces
// every row on screen; creating and removing ~40 rows' elements per frame (and the garbage they
// leave for Blink's and V8's collectors) was most of a jump's worst frames (docs/window.md). Rows
// that hold no state of their own are therefore drawn in a fixed set of slots: the row element
// stays, and only its text changes.
import type { WorkflowEvent } from '../../../shared/events';
import { lineCount } from './rowHeight';

/** An output this long may overflow its box (events.css: at most 24 lines) and scroll on its own. */
const OUTPUT_SCROLLS_AT_LINES = 24;
/** …or wrap to that many lines (24 lines of 40 characters, a narrow window's message column). */
const OUTPUT_SCROLLS_AT_CHARS = 960;

/**
 * May this event's row be drawn in an element another event's row used? Only when the row has
 * nothing focusable, nothing opened or scrolled inside it: such state belongs to one event and
 * must not pass to the next (tool rows, messages with "Show all", permission answers, and output
 * long enough to scroll inside its box keep an element of their own).
 */
export function recyclable(event: WorkflowEvent): boolean {
  switch (event.type) {
    case 'agent_message':
    case 'tool_call':
    case 'tool_result':
    case 'permission_requested':
      return false;
    case 'agent_output':
      return event.message.length < OUTPUT_SCROLLS_AT_CHARS && lineCount(event.message, OUTPUT_SCROLLS_AT_LINES) < OUTPUT_SCROLLS_AT_LINES;
    default:
      return true;
  }
}

/**
 * Slots for the rows drawn now (`ids`, each drawn once): a row that was drawn before keeps its
 * slot, and a new row takes the lowest slot no row drawn now holds. So rows that stay on screen
 * keep their elements, and a jump reuses every element the rows that left had.
 */
export function assignSlots(prev: ReadonlyMap<number, number>, ids: readonly number[]): Map<number, number> {
  const next = new Map<number, number>();
  const taken = new Set<number>();
  for (const id of ids) {
    const slot = prev.get(id);
    if (slot !== undefined) {
      next.set(id, slot);
      taken.add(slot);
    }
  }
  let free = 0;
  for (const id of ids) {
    if (next.has(id)) continue;
    while (taken.has(free)) free++;
    next.set(id, free);
    taken.add(free);
  }
  return next;
}
