import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { WorkflowEvent } from '../../../shared/events';
import { filterEvents, isFiltering } from '../lib/eventFilter';
import { hasOlder } from '../lib/eventLog';
import { formatCount } from '../lib/format';
import { withKey } from '../lib/keymap';
import { estimateRowHeight } from '../lib/rowHeight';
import { nextTailWindow, WHOLE_LIST, type TailWindow } from '../lib/tailWindow';
import { useApp, useEvents, useUi } from '../state/hooks';
import { EventFilters } from './EventFilters';
import { EventRow } from './EventRow';

/** A one-line row's height: the size estimate, and the rows' min-height (CSS `--ev-row`), so they agree. */
const ROW = 26;
const EMPTY: readonly WorkflowEvent[] = [];

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

/** The index of the first event with a sequence >= `sequence`, or -1 (as findIndex; the list is sorted by sequence, so no scan of 100,000 rows). */
function firstAtOrAfter(events: readonly WorkflowEvent[], sequence: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid]!.sequence < sequence) lo = mid + 1;
    else hi = mid;
  }
  return lo < events.length ? lo : -1;
}

/** The live event stream: virtualized, follows the tail unless scrolled up, pages older on demand. */
export function EventStream({ workflowId }: { workflowId: string }) {
  const app = useApp();
  const log = useEvents((s) => s.logs[workflowId]);
  const filter = useUi((s) => s.filter);
  const jumpRequest = useUi((s) => s.jumpRequest);
  const events = log?.events ?? EMPTY;
  const shown = useMemo(() => filterEvents(events, filter), [events, filter]);
  const filtering = isFiltering(filter);
  const scrollRef = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const [detached, setDetached] = useState(false);
  const [seenCount, setSeenCount] = useState(0);
  const prevFirst = useRef(0);

  // Following, the virtualizer holds only the last rows (lib/tailWindow.ts), laid out after the
  // height of those before them. Decided from where it laid the rows out on the previous render.
  const windowRef = useRef<TailWindow>(WHOLE_LIST);
  const laidOut = useRef<{ measurementsCache: ReadonlyArray<{ start: number } | undefined> } | null>(null);
  const prevWindow = windowRef.current;
  const tail = nextTailWindow(prevWindow, {
    count: shown.length,
    following: !detached,
    keyAt: (i) => shown[i]!.sequence,
    startOf: (i) => laidOut.current?.measurementsCache[i - prevWindow.base]?.start,
    keep: TAIL_KEEP,
  });
  windowRef.current = tail;
  const base = tail.base;
  // The same functions until the list or the window changes: the virtualizer recomputes every
  // row's position when they change, so fresh ones on a render for a scroll would cost a pass.
  // Unfiltered, the list is the gapless range first..last (rule 3): a row's key is arithmetic,
  // not a load of its event (the virtualizer asks for every key on each change of the list).
  const firstSequence = filtering ? null : (shown[0]?.sequence ?? 0);
  const getItemKey = useCallback(
    (i: number) => (firstSequence === null ? shown[base + i]!.sequence : firstSequence + base + i),
    [shown, base, firstSequence],
  );
  const estimateSize = useCallback((i: number) => estimateRowHeight(shown[base + i]!), [shown, base]);
  const virtualizer = useVirtualizer({
    count: shown.length - base,
    paddingStart: tail.start,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    // Rows drawn beyond the visible ones: each is created, laid out and measured on a jump, and
    // the virtualizer updates in the scroll event, before the frame paints (docs/window.md).
    overscan: 6,
    getItemKey,
    // `data-index` stays the row's index in the whole list; the virtualizer's is in its window.
    indexAttribute: 'data-vindex',
    rangeExtractor: detached ? defaultRangeExtractor : tailRange,
  });
  laidOut.current = virtualizer;

  // Older events were put in front: keep what the reader looks at in place.
  useLayoutEffect(() => {
    const first = log?.first ?? 0;
    const el = scrollRef.current;
    if (el && prevFirst.current > 0 && first > 0 && first < prevFirst.current && !following.current) {
      const added = firstAtOrAfter(shown, prevFirst.current);
      const start = added > 0 ? (virtualizer.measurementsCache[added]?.start ?? added * ROW) : 0;
      el.scrollTop += start;
    }
    prevFirst.current = first;
  }, [log?.first, shown, virtualizer]);

  // Following the tail: after every render (new events, re-measured rows) stay at the bottom.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el && following.current) el.scrollTop = el.scrollHeight;
  });

  useEffect(() => {
    if (jumpRequest === 0) return;
    following.current = true;
    setDetached(false);
    const el = scrollRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [jumpRequest]);

  // A filter searches everything: page the rest of the log in behind it.
  useEffect(() => {
    if (filtering && log?.status === 'ready' && hasOlder(log)) void app.feed.loadAll(workflowId);
  }, [app, workflowId, filtering, log]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < ROW;
    if (atBottom !== following.current) {
      following.current = atBottom;
      setDetached(!atBottom);
      setSeenCount(shown.length);
    }
    if (el.scrollTop < ROW * 10 && log && hasOlder(log) && !log.loadingOlder) void app.feed.loadOlder(workflowId);
  };

  const newer = detached ? Math.max(0, shown.length - seenCount) : 0;
  const items = virtualizer.getVirtualItems();
  return (
    <div className="stream">
      <EventFilters workflowId={workflowId} shown={shown.length} loaded={events.length} />
      {log && hasOlder(log) && (
        <div className="stream-older muted small" aria-live="polite">
          {log.loadingOlder ? 'Loading earlier events…' : `Showing #${formatCount(log.first)}–#${formatCount(log.last)}; earlier events load as you scroll up.`}
        </div>
      )}
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
        data-count={events.length}
        onScroll={onScroll}
      >
        {/* The spacer gives the scroll height; the rows hang from a box of constant size, so a
            longer list does not invalidate the layout of every row already drawn. */}
        <div className="ev-spacer" style={{ height: virtualizer.getTotalSize() }}>
          <div role="list" className="ev-rows" style={{ ['--ev-row' as string]: `${ROW}px` }}>
          {items.map((item) => {
            const event = shown[base + item.index]!;
            return (
              <div
                key={item.key}
                role="listitem"
                className={`ev-row ev-${event.type}`}
                data-index={base + item.index}
                data-vindex={item.index}
                data-seq={event.sequence}
                ref={virtualizer.measureElement}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <EventRow event={event} />
              </div>
            );
          })}
          </div>
        </div>
        {log?.status === 'loading' && <p className="muted pad">Loading events…</p>}
        {log?.status === 'error' && <p className="pad error" role="alert">{log.error}</p>}
        {log?.status === 'ready' && shown.length === 0 && <p className="muted pad">{filtering ? 'No event matches the filter.' : 'No events yet.'}</p>}
      </div>
      {detached && (
        <button type="button" className="jump primary" title={withKey('jumpToLatest')} onClick={() => app.stores.ui.setState((s) => ({ jumpRequest: s.jumpRequest + 1 }))}>
          Jump to latest{newer > 0 ? ` (${newer} new)` : ''}
        </button>
      )}
    </div>
  );
}
