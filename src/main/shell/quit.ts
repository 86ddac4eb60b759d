// The quit flow (docs/design.md §4.3): with active workflows, ask first — "Cancel all and quit",
// "Keep running" (close the window, stay in the tray), "Don't quit". Cancelling waits a bounded
// time, then the core closes the database, and only then does the process exit.
import type { Workflow } from '../../shared/domain';

export type QuitAnswer = 'cancel-all' | 'keep-running' | 'dont-quit';
export type QuitOutcome = 'quit' | 'kept-running' | 'stayed';

export const QUIT_CHOICES: readonly { answer: QuitAnswer; label: string }[] = [
  { answer: 'cancel-all', label: 'Cancel all and quit' },
  { answer: 'keep-running', label: 'Keep running' },
  { answer: 'dont-quit', label: "Don't quit" },
];

export interface QuitPorts {
  activeWorkflows(): readonly Workflow[];
  /** Asks the user (a message box); the answer decides. */
  ask(active: readonly Workflow[]): Promise<QuitAnswer>;
  cancelAll(reason: string): Promise<unknown>;
  /** Closes the core: stops runs, closes the database. */
  closeCore(): Promise<void>;
  /** Ends the process; called only after closeCore settled. */
  exit(code: number): void;
  /** "Keep running": hide the window, the tray stays. */
  hideWindows(): void;
  /** How long cancelling may take before the shutdown goes on (the kill grace plus a margin). */
  cancelBoundMs(): number;
  log?(message: string, error?: unknown): void;
}

export const QUIT_CANCEL_REASON = 'Switchyard was quit';

export class QuitTimeoutError extends Error {
  override readonly name = 'QuitTimeoutError';
  constructor(readonly boundMs: number) {
    super(`Cancelling the active workflows took longer than ${boundMs} ms; shutting down anyway`);
  }
}

/** Resolves with the promise's value, or rejects with QuitTimeoutError after `ms`. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QuitTimeoutError(ms)), ms);
  });
  return Promise.race([promise, bound]).finally(() => clearTimeout(timer));
}

export class QuitController {
  private inFlight: Promise<QuitOutcome> | null = null;
  private shuttingDown: Promise<void> | null = null;
  private done = false;

  constructor(private readonly ports: QuitPorts) {}

  /** True once the database is closed: Electron's own quit may then proceed. */
  get mayExit(): boolean {
    return this.done;
  }

  /** True from the moment the shutdown began (no more questions, no new windows). */
  get quitting(): boolean {
    return this.shuttingDown !== null;
  }

  /** The user asked to quit (menu, tray, Cmd+Q, closing the window). Re-entrant: one flow at a time. */
  requestQuit(): Promise<QuitOutcome> {
    if (this.shuttingDown) return this.shuttingDown.then(() => 'quit' as const);
    this.inFlight ??= this.run().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** Shuts down without asking (SIGTERM, session end): running workflows are cancelled by the core's close. */
  shutdown(code = 0): Promise<void> {
    this.shuttingDown ??= this.finish(null, code);
    return this.shuttingDown;
  }

  private async run(): Promise<QuitOutcome> {
    const active = this.ports.activeWorkflows();
    if (active.length === 0) {
      await this.shutdown(0);
      return 'quit';
    }
    const answer = await this.ports.ask(active);
    if (this.shuttingDown) {
      await this.shuttingDown;
      return 'quit';
    }
    switch (answer) {
      case 'dont-quit':
        return 'stayed';
      case 'keep-running':
        this.ports.hideWindows();
        return 'kept-running';
      case 'cancel-all':
        this.shuttingDown = this.finish(QUIT_CANCEL_REASON, 0);
        await this.shuttingDown;
        return 'quit';
    }
  }

  private async finish(cancelReason: string | null, code: number): Promise<void> {
    let exitCode = code;
    if (cancelReason !== null) {
      try {
        await within(this.ports.cancelAll(cancelReason), this.ports.cancelBoundMs());
      } catch (e) {
        this.ports.log?.('switchyard: cancelling before quit did not finish cleanly', e);
      }
    }
    try {
      await this.ports.closeCore();
    } catch (e) {
      this.ports.log?.('switchyard: closing the core failed', e);
      exitCode = 1;
    }
    this.done = true;
    this.ports.exit(exitCode);
  }
}
