import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { WorkflowEvent } from '../../../shared/events';
import { filterEvents, isFiltering } from '../lib/eventFilter';
import { eventAt, isComplete, loadedEvents } from '../lib/eventLog';
import { formatCount } from '../lib/format';
import { withKey } from '../lib/keymap';
import { estimateRowHeight, ROW_HEIGHT } from '../lib/rowHeight';
import { assignSlots, recyclable } from '../lib/rowSlots';
import { nextTailWindow, WHOLE_LIST, type TailWindow } from '../lib/tailWindow';
import { useApp, useEvents, useUi } from '../state/hooks';
import { EventFilters } from './EventFilters';
import { EventRow } from './EventRow';

/** A one-line row's height: the size estimate, and the rows' min-height (CSS `--ev-row`), so they agree. */
const ROW = ROW_HEIGHT;
const EMPTY: readonly WorkflowEvent[] = [];
const NEVER = () => false;

/** Rows drawn above the visible ones while following: a few, as every pushed batch replaces them. */
const TAIL_OVERSCAN = 4;
/** Rows the virtualizer holds while following at the least (lib/tailWindow.ts); far more than a window shows. */
const TAIL_KEEP = 500;

/**
 * The rows while following: the last ones, as many as the range visible at the current offset
 * holds, plus a few above. The virtualizer's own range follows the scroll offset, which it reads
 * from a scroll event one frame after the layout effect below has scrolled to the new end; with
 * this range the new rows are in the DOM, scrolled into view, in the frame that applies them.
 * (Scrolling up leaves the tail: the virtualizer's own range, with its full overscan, takes over.)
 */
function tailRange(range: Range): number[] {
  const start = Math.max(0, range.count - 1 - (range.endIndex - range.startIndex) - TAIL_OVERSCAN);
  return Array.from({ length: range.count - start }, (_, i) => start + i);
}

/** The first index in 0..length at which `before` turns false (it must hold for a prefix only): a binary search. */
function boundary(length: number, before: (i: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of the first event with a sequence >= `sequence`, or -1 (the list is sorted by sequence: no scan of 100,000 rows). */
function firstAtOrAfter(events: readonly WorkflowEvent[], sequence: number): number {
  const i = boundary(events.length, (k) => events[k]!.sequence < sequence);
  return i < events.length ? i : -1;
}

/** The first laid-out row that ends below `offset` (the row at the top of the screen). */
function firstEndingAfter<T extends { end: number }>(rows: ArrayLike<T | undefined>, offset: number): T | undefined {
  return rows[boundary(rows.length, (k) => rows[k]!.end <= offset)];
}

/** Rows beyond the screen whose pages load with it, above and below (a small scroll shows loaded rows). */
const LOAD_MARGIN = 60;

/**
 * The live event stream: virtualized over the whole log, follows the tail unless scrolled up.
 * Unfiltered, the list is every sequence 1..last (rule 3): row i is event i + 1, keyed by its
 * sequence, and a row whose event is not loaded yet is a placeholder of a one-line row's height
 * while its page loads (lib/eventLog.ts). So loading a page moves no row and no virtualizer
 * option changes; a jump anywhere loads only the pages on screen. A filter loads everything and
 * lists the matches.
 */
export function EventStream({ workflowId }: { workflowId: string }) {
  const app = useApp();
  const log = useEvents((s) => s.logs[workflowId]);
  const filter = useUi((s) => s.filter);
  const jumpRequest = useUi((s) => s.jumpRequest);
  const filtering = isFiltering(filter);
  // Filtered: the matches among the loaded events (all of them once loadAll is done).
  const loaded = useMemo(() => (filtering && log ? loadedEvents(log) : EMPTY), [filtering, log]);
  const shown = useMemo(() => (filtering ? filterEvents(loaded, filter) : EMPTY), [filtering, loaded, filter]);
  const total = filtering ? shown.length : (log?.last ?? 0);
  const scrollRef = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const [detached, setDetached] = useState(false);
  const [seenCount, setSeenCount] = useState(0);

  // Following, the virtualizer holds only the last rows (lib/tailWindow.ts), laid out after the
  // height of those before them. Decided from where it laid the rows out on the previous render.
  const windowRef = useRef<TailWindow>(WHOLE_LIST);
  const laidOut = useRef<{ measurementsCache: ReadonlyArray<{ start: number } | undefined> } | null>(null);
  const prevWindow = windowRef.current;
  const tail = nextTailWindow(prevWindow, {
    count: total,
    following: !detached,
    keyAt: (i) => (filtering ? shown[i]!.sequence : i + 1),
    // Before any row is laid out (the log was empty or loading) nothing is measured: unfiltered,
    // every row is one estimated line, so a 100,000-event log opens straight into the window
    // without a pass over every row.
    startOf: (i) => {
      const laid = laidOut.current?.measurementsCache;
      if (laid && laid.length > 0) return laid[i - prevWindow.base]?.start;
      return filtering ? undefined : i * ROW;
    },
    keep: TAIL_KEEP,
  });
  windowRef.current = tail;
  const base = tail.base;
  // The same functions until the window (or a filtered list) changes: the virtualizer recomputes
  // every row's position when its key function changes. Unfiltered, a key is arithmetic and the
  // estimate is a one-line row whatever is loaded, so loading a page changes neither (a tall row
  // is measured when it is drawn, as any row).
  const getItemKey = useCallback((i: number) => (filtering ? shown[base + i]!.sequence : base + i + 1), [filtering, shown, base]);
  const estimateSize = useCallback((i: number) => (filtering ? estimateRowHeight(shown[base + i]!) : ROW), [filtering, shown, base]);
  const virtualizer = useVirtualizer({
    count: total - base,
    paddingStart: tail.start,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    // Rows drawn beyond the visible ones: each is created, laid out and measured on a jump, and
    // the virtualizer updates in the scroll event, before the frame paints (docs/window.md).
    overscan: 4,
    getItemKey,
    // `data-index` stays the row's index in the whole list; the virtualizer's is in its window.
    indexAttribute: 'data-vindex',
    rangeExtractor: detached ? defaultRangeExtractor : tailRange,
  });
  laidOut.current = virtualizer;
  const items = virtualizer.getVirtualItems();

  // The rows to draw, and their React keys (lib/rowSlots.ts): a row with no state of its own,
  // or not loaded yet, is drawn in a slot (the element of a row that left the screen, or of its
  // own placeholder); any other row in an element of its own, by sequence.
  const slots = useRef(new Map<number, number>());
  const rows = items.map((item) => {
    const index = base + item.index;
    const event = filtering ? shown[index] : log ? eventAt(log, index + 1) : undefined;
    return { item, index, event, seq: event ? event.sequence : index + 1, slotted: !event || recyclable(event) };
  });
  slots.current = assignSlots(slots.current, rows.filter((r) => r.slotted).map((r) => r.seq));
  const keyOf = (r: (typeof rows)[number]) => (r.slotted ? `r${slots.current.get(r.seq)}` : `s${r.seq}`);

  // Measure every row whose element is new or now shows another event, before the effects below
  // read the layout. A new element is handed to the virtualizer, which observes its size from
  // then on. A reused one is still observed, but Chromium reports no size that did not change
  // (and ignores observing an element again), so a row as tall as the one before it is measured
  // here; the element is also moved to its new key, or the virtualizer would stop observing it
  // when the old key is drawn elsewhere.
  const listRef = useRef<HTMLDivElement>(null);
  const measuredSeq = useRef(new WeakMap<Element, number>());
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list) return;
    for (const el of list.children as HTMLCollectionOf<HTMLElement>) {
      // A placeholder is one line, the estimate: measuring it would change nothing. (An element
      // that showed a loaded row stays observed while it is a placeholder; a measure of 27 px
      // where 27 px is expected is no change either.)
      if (el.classList.contains('ev-placeholder')) continue;
      const seq = Number(el.getAttribute('data-seq'));
      const was = measuredSeq.current.get(el);
      if (was === seq) continue;
      measuredSeq.current.set(el, seq);
      if (was === undefined) {
        virtualizer.measureElement(el);
        continue;
      }
      const index = Number(el.getAttribute('data-vindex'));
      for (const [key, node] of virtualizer.elementsCache) if (node === el) virtualizer.elementsCache.delete(key);
      virtualizer.elementsCache.set(virtualizer.options.getItemKey(index), el);
      virtualizer.resizeItem(index, el.offsetHeight);
    }
    // Rows no longer drawn: stop observing them.
    virtualizer.measureElement(null);
  });

  // Filtered, a filter's catch-up inserts older matches before the rows on screen (anywhere
  // below the loaded tail): keep the row at the top of the screen where it was. Unfiltered,
  // nothing moves when events load (placeholders), so there is nothing to correct.
  // The scroll position is read from the element, not from the virtualizer, whose offset comes
  // from scroll events: a second page landing before the event of the first correction anchored
  // on the old offset, a page's matches away (seen as a flaky e2e run).
  const anchor = useRef<{ seq: number; delta: number; shown: readonly WorkflowEvent[] } | null>(null);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el || !filtering) {
      anchor.current = null;
      return;
    }
    const held = anchor.current;
    if (held && held.shown !== shown && !following.current) {
      const index = firstAtOrAfter(shown, held.seq) - base;
      const start = index >= 0 ? virtualizer.measurementsCache[index]?.start : undefined;
      if (start !== undefined && Math.round(start - held.delta) !== Math.round(el.scrollTop)) {
        el.scrollTop = start - held.delta;
        // Tell the virtualizer now, not at the next frame's scroll event: until then it draws the
        // rows of the old offset and judges rows measured just above the screen as below it.
        el.dispatchEvent(new Event('scroll'));
      }
    }
    const offset = el.scrollTop;
    const top = firstEndingAfter(virtualizer.measurementsCache, offset);
    anchor.current = top ? { seq: shown[base + top.index]!.sequence, delta: top.start - offset, shown } : null;
  });

  // Following the tail: after every render (new events, re-measured rows, a landed page) stay at
  // the bottom; unless the reader has scrolled up and its scroll event is not dispatched yet (a
  // render came first): that place is theirs, and onScroll detaches. While following, the
  // virtualizer does not correct scrollTop for rows measured above the screen (the end is pinned
  // anyway), so an upward move is always the reader's.
  virtualizer.shouldAdjustScrollPositionOnItemSizeChange = following.current ? NEVER : undefined;
  const pinnedAt = useRef(-1);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el || !following.current) return;
    if (pinnedAt.current >= 0 && el.scrollTop < pinnedAt.current - ROW) return;
    el.scrollTop = el.scrollHeight;
    pinnedAt.current = el.scrollTop;
  });

  useEffect(() => {
    if (jumpRequest === 0) return;
    following.current = true;
    setDetached(false);
    const el = scrollRef.current;
    if (el) pinnedAt.current = el.scrollTop = el.scrollHeight;
  }, [jumpRequest]);

  // A filter searches everything: page the rest of the log in behind it.
  const ready = log?.status === 'ready';
  const complete = log ? isComplete(log) : true;
  useEffect(() => {
    if (filtering && ready && !complete) app.feed.loadAll(workflowId);
  }, [app, workflowId, filtering, ready, complete]);

  // Unfiltered: load the pages of the rows on screen (after the paint: never in the scroll's frame).
  const firstRow = items.length > 0 ? base + items[0]!.index + 1 : 0;
  const lastRow = items.length > 0 ? base + items[items.length - 1]!.index + 1 : 0;
  useEffect(() => {
    if (filtering || firstRow === 0) return;
    app.feed.show(workflowId, firstRow - LOAD_MARGIN, lastRow + LOAD_MARGIN, (firstRow + lastRow) >> 1);
  }, [app, workflowId, filtering, firstRow, lastRow]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < ROW;
    if (atBottom) pinnedAt.current = el.scrollTop;
    if (atBottom !== following.current) {
      following.current = atBottom;
      setDetached(!atBottom);
      setSeenCount(total);
    }
  };

  const newer = detached ? Math.max(0, total - seenCount) : 0;
  const count = log?.count ?? 0;
  return (
    <div className="stream">
      {/* Unfiltered, the list is the whole log (loaded or not): its size is last. */}
      <EventFilters workflowId={workflowId} shown={shown.length} loaded={filtering ? loaded.length : (log?.last ?? 0)} />
      {/* Over the list, not above it: a line that came and went with every page would move the
          whole list (and make the browser lay it out again) twice per page. Always there, so
          screen readers hear what it says. */}
      <div className="stream-status small" role="status" aria-live="polite">
        {!log || !ready
          ? null
          : log.pending > 0
            ? `Loading events… (${formatCount(count)} of ${formatCount(log.last)} loaded)`
            : log.error
              ? `Some events could not be loaded: ${log.error}. Scroll to try again.`
              : filtering && !complete
                ? `Searching ${formatCount(count)} of ${formatCount(log.last)} events…`
                : null}
      </div>
      <div
        ref={scrollRef}
        className="stream-scroll"
        role="log"
        aria-label="Event stream"
        aria-live="off"
        tabIndex={0}
        data-keys-local=""
        data-first={log?.first ?? 0}
        data-last={log?.last ?? 0}
        data-count={count}
        onScroll={onScroll}
      >
        {/* The spacer gives the scroll height; the rows hang from a box of constant size, so a
            longer list does not invalidate the layout of every row already drawn. */}
        <div className="ev-spacer" style={{ height: virtualizer.getTotalSize() }}>
          <div ref={listRef} role="list" className="ev-rows" style={{ ['--ev-row' as string]: `${ROW}px` }}>
          {rows.map((r) => (
            <div
              key={keyOf(r)}
              role="listitem"
              // Not loaded yet: a placeholder of one line's height, which the virtualizer's estimate already is.
              className={r.event ? `ev-row ev-${r.event.type}` : 'ev-row ev-placeholder'}
              data-index={r.index}
              data-vindex={r.item.index}
              data-seq={r.seq}
              style={{ transform: `translateY(${r.item.start}px)` }}
            >
              <EventRow event={r.event} sequence={r.seq} />
            </div>
          ))}
          </div>
        </div>
        {log?.status === 'loading' && <p className="muted pad">Loading events…</p>}
        {log?.status === 'error' && <p className="pad error" role="alert">{log.error}</p>}
        {ready && total === 0 && <p className="muted pad">{filtering ? 'No event matches the filter.' : 'No events yet.'}</p>}
      </div>
      {detached && (
        <button type="button" className="jump primary" title={withKey('jumpToLatest')} onClick={() => app.stores.ui.setState((s) => ({ jumpRequest: s.jumpRequest + 1 }))}>
          Jump to latest{newer > 0 ? ` (${newer} new)` : ''}
        </button>
      )}
    </div>
  );
}
