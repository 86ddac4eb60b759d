// File events of a running stage: a snapshot before it starts, one about every second while it
// runs, and one after it ended; each difference becomes file_created / file_modified /
// file_deleted events with {path}.
import type { EventDraft } from '../../../shared/events';
import { diffSnapshots, gitTopLevel, takeSnapshot, type Snapshot } from './gitChanges';

export const DEFAULT_SCAN_INTERVAL_MS = 1_000;

export interface FileWatcherOptions {
  worktree: string;
  agent: string;
  stage: string;
  emit(draft: EventDraft): Promise<unknown>;
  intervalMs?: number;
  /** Called instead of watching when the worktree is not a git checkout; returns whether to warn. */
  notGit?(): boolean;
}

export class FileWatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  private constructor(
    private readonly o: FileWatcherOptions,
    private readonly root: string | null,
    private last: Snapshot | null,
  ) {}

  /** A watcher that reports nothing (a worktree's run command: a dev server would be scanned for hours). */
  static idle(o: FileWatcherOptions): FileWatcher {
    return new FileWatcher(o, null, null);
  }

  /** Takes the baseline. Never throws: a worktree that cannot be watched gets one warning. */
  static async start(o: FileWatcherOptions): Promise<FileWatcher> {
    const root = await gitTopLevel(o.worktree);
    let baseline: Snapshot | null = null;
    if (root) baseline = await takeSnapshot(root).catch(() => null);
    if (!root || !baseline) {
      if (o.notGit?.() ?? true) {
        await o
          .emit({
            agent: 'system',
            type: 'system_warning',
            message: `${o.worktree} is not a git checkout (or git is not installed): file changes are not reported`,
            data: { stage: o.stage, reason: 'not_git' },
          })
          .catch(() => undefined);
      }
      return new FileWatcher(o, null, null);
    }
    const w = new FileWatcher(o, root, baseline);
    w.schedule();
    return w;
  }

  /** Stops watching and reports what changed since the last scan. */
  async finish(): Promise<void> {
    this.stop();
    await this.running;
    await this.scan();
  }

  /** Stops watching without reporting (the workflow was cancelled). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.scan().finally(() => this.schedule());
    }, this.o.intervalMs ?? DEFAULT_SCAN_INTERVAL_MS);
  }

  private async scan(): Promise<void> {
    if (!this.root || !this.last) return;
    try {
      const next = await takeSnapshot(this.root);
      const changes = await diffSnapshots(this.root, this.last, next);
      this.last = next;
      await Promise.all(
        changes.map((c) =>
          this.o.emit({
            agent: this.o.agent,
            type: c.type,
            message: `${c.type === 'file_created' ? 'Created' : c.type === 'file_deleted' ? 'Deleted' : 'Modified'} ${c.path}`,
            data: { path: c.path, stage: this.o.stage },
          }),
        ),
      );
    } catch {
      // git failed this time (the repository is busy, or the log is closed): try again next time.
    }
  }
}
