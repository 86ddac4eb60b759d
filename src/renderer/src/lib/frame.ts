// Coalesces high-frequency work into one flush per animation frame (docs/design.md §4.4: a busy
// workflow must not re-render the window for every pushed batch).

export type Scheduler = (run: () => void) => void;

/** One call per frame while visible; a hidden page has no frames, so it falls back to a timer. */
export const frameScheduler: Scheduler = (run) => {
  if (typeof document !== 'undefined' && document.hidden) setTimeout(run, 100);
  else requestAnimationFrame(() => run());
};

export interface Batcher<T> {
  push(item: T): void;
  /** Applies whatever is pending now (tests, and before a synchronous read). */
  flush(): void;
}

export function createBatcher<T>(schedule: Scheduler, apply: (items: T[]) => void): Batcher<T> {
  let pending: T[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const items = pending;
    pending = [];
    apply(items);
  };
  return {
    push(item) {
      pending.push(item);
      if (!scheduled) {
        scheduled = true;
        schedule(flush);
      }
    },
    flush,
  };
}
