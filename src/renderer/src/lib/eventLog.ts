// Pure operations on the loaded part of one workflow's event log. Sequences are gapless 1..N
// (docs/design.md rule 3), so the log is the range 1..last and the stream shows all of it; what
// is loaded is any set of sequences in it: the tail (opened and followed live) and whatever pages
// the reader scrolled to. They sit in fixed chunks of CHUNK sequences (chunk c holds c*CHUNK+1 ..
// (c+1)*CHUNK), so finding an event is arithmetic, a page is one chunk, and an update copies one
// chunk and the short chunk index, never the whole log (appends land every frame while a
// workflow runs).
import type { WorkflowEvent } from '../../../shared/events';

/** Sequences per chunk, and so per page loaded for a range. */
export const CHUNK = 500;
/** Events read when a log is opened: its tail (what follows arrives live). */
export const TAIL_PAGE = 500;

type Chunk = ReadonlyArray<WorkflowEvent | undefined>;

export interface EventLog {
  /** chunks[c][seq - 1 - c * CHUNK] is event `seq`, or a hole while it is not loaded. */
  chunks: ReadonlyArray<Chunk | undefined>;
  /** Loaded events per chunk. */
  loadedIn: readonly number[];
  /** Loaded events in all. */
  count: number;
  /** Lowest loaded sequence, or 0 when nothing is loaded. */
  first: number;
  /** The log's last sequence as far as known (loaded: the tail is always loaded), or 0. */
  last: number;
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  /** Pages being loaded for this log (for "Loading…"). */
  pending: number;
  /** The agents of the loaded events, sorted; the same array until a new agent appears (cheap to select). */
  agents: readonly string[];
}

export const emptyLog = (): EventLog => ({ chunks: [], loadedIn: [], count: 0, first: 0, last: 0, status: 'loading', error: null, pending: 0, agents: [] });

/** Adds the agents of `events` to `agents`, returning the same array when none is new. */
function withAgents(agents: readonly string[], events: readonly WorkflowEvent[]): readonly string[] {
  let added: Set<string> | null = null;
  for (const e of events) {
    if (!agents.includes(e.agent) && !added?.has(e.agent)) (added ??= new Set()).add(e.agent);
  }
  return added ? [...agents, ...added].sort() : agents;
}

/** Event `sequence` if it is loaded. */
export function eventAt(log: EventLog, sequence: number): WorkflowEvent | undefined {
  const i = sequence - 1;
  return log.chunks[Math.floor(i / CHUNK)]?.[i % CHUNK];
}

/** Every event of 1..last is loaded (nothing is missing before the tail). */
export const isComplete = (log: EventLog): boolean => log.count === log.last;

/** The loaded events in sequence order (a filter searches them; a copy: O(loaded)). */
export function loadedEvents(log: EventLog): WorkflowEvent[] {
  const out: WorkflowEvent[] = [];
  for (const chunk of log.chunks) {
    if (!chunk) continue;
    for (const e of chunk) if (e) out.push(e);
  }
  return out;
}

/**
 * The newest event `match` accepts in the loaded tail: walking back from `last`, over at most `max`
 * events, stopping at the first one not loaded (an older page loaded further up is not "the latest").
 */
export function findInTail(log: EventLog, match: (event: WorkflowEvent) => boolean, max = Infinity): WorkflowEvent | undefined {
  for (let seq = log.last; seq >= 1 && log.last - seq < max; seq--) {
    const e = eventAt(log, seq);
    if (!e) return undefined;
    if (match(e)) return e;
  }
  return undefined;
}

/** The first sequence of the loaded run that ends at `last` (what is before it is not loaded, or nothing), or 0. */
export function tailFirst(log: EventLog): number {
  if (log.last === 0) return 0;
  // Whole chunks while they are full, then within the first one that is not.
  let c = Math.floor((log.last - 1) / CHUNK);
  while (c > 0 && (log.loadedIn[c] ?? 0) === chunkSize(log, c)) c--;
  let seq = Math.min(log.last, (c + 1) * CHUNK);
  while (seq > c * CHUNK && eventAt(log, seq)) seq--;
  return seq + 1;
}

/** Sequences chunk `c` holds within 1..last. */
const chunkSize = (log: EventLog, c: number) => Math.max(0, Math.min(CHUNK, log.last - c * CHUNK));

/**
 * The chunks with a hole among sequences from..to (clamped to 1..last), nearest to `near` first
 * (the reader's place: what is on screen loads before the margin around it).
 */
export function missingChunks(log: EventLog, from: number, to: number, near = from): number[] {
  const lo = Math.max(1, from);
  const hi = Math.min(log.last, to);
  if (hi < lo) return [];
  const out: number[] = [];
  for (let c = Math.floor((lo - 1) / CHUNK); c <= Math.floor((hi - 1) / CHUNK); c++) {
    if ((log.loadedIn[c] ?? 0) < chunkSize(log, c)) out.push(c);
  }
  const centre = (c: number) => Math.abs(c * CHUNK + CHUNK / 2 - near);
  return out.sort((a, b) => centre(a) - centre(b));
}

/**
 * Puts `events` (sorted, no duplicates, all in 1..) into their slots, copying only the chunks
 * they touch. Sequences already loaded keep their event (the same object: no re-render).
 */
function place(log: EventLog, events: readonly WorkflowEvent[], last: number): EventLog {
  const chunks = log.chunks.slice();
  const loadedIn = log.loadedIn.slice();
  const copied = new Set<number>();
  const added: WorkflowEvent[] = [];
  for (const event of events) {
    const i = event.sequence - 1;
    const c = Math.floor(i / CHUNK);
    let chunk = chunks[c] as Array<WorkflowEvent | undefined> | undefined;
    if (chunk?.[i % CHUNK]) continue;
    if (!copied.has(c)) {
      chunk = chunk ? chunk.slice() : [];
      chunks[c] = chunk;
      copied.add(c);
    }
    chunk![i % CHUNK] = event;
    loadedIn[c] = (loadedIn[c] ?? 0) + 1;
    added.push(event);
  }
  if (added.length === 0 && last === log.last) return log;
  for (let c = 0; c < chunks.length; c++) loadedIn[c] ??= 0;
  const first = added.length === 0 ? log.first : log.first === 0 ? added[0]!.sequence : Math.min(log.first, added[0]!.sequence);
  return { ...log, chunks, loadedIn, count: log.count + added.length, first, last, agents: withAgents(log.agents, added) };
}

/**
 * Appends newer events. Anything at or below `last` is a duplicate and dropped; a batch that would
 * leave a hole after `last` (starts beyond last + 1) is refused from there, so the caller refills.
 * An empty log starts at the batch's first sequence (the tail page: what is before it loads on demand).
 */
export function appendEvents(log: EventLog, batch: readonly WorkflowEvent[]): { log: EventLog; gapAfter: number | null } {
  const fresh = batch.filter((e) => e.sequence > log.last).sort((a, b) => a.sequence - b.sequence);
  if (fresh.length === 0) return { log, gapAfter: null };
  const accepted: WorkflowEvent[] = [];
  let expected = log.last === 0 ? fresh[0]!.sequence : log.last + 1;
  for (const event of fresh) {
    if (event.sequence < expected) continue; // duplicate inside the batch
    if (event.sequence > expected) break;
    accepted.push(event);
    expected++;
  }
  const gapAfter = accepted.length < fresh.length && fresh[fresh.length - 1]!.sequence >= expected ? expected - 1 : null;
  if (accepted.length === 0) return { log, gapAfter };
  return { log: place(log, accepted, accepted[accepted.length - 1]!.sequence), gapAfter };
}

/**
 * Inserts a page of already-known events (a range the reader scrolled to, or a filter's catch-up)
 * wherever it falls in 1..last, merging with what is loaded. Events beyond `last` are left to
 * the live feed (appendEvents), which keeps the tail gapless.
 */
export function insertEvents(log: EventLog, page: readonly WorkflowEvent[]): EventLog {
  const inside = page.filter((e) => e.sequence >= 1 && e.sequence <= log.last).sort((a, b) => a.sequence - b.sequence);
  return place(log, inside, log.last);
}
