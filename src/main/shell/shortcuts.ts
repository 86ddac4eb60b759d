// Global shortcuts from the settings (docs/design.md §4.3), with conflict detection: Electron's
// globalShortcut.register returns false when another application (or the OS) owns the
// accelerator, and throws on an accelerator it cannot parse. Both are reported, never fatal.
import type { Settings } from '../../shared/settings';
import type { ShellAction } from './actions';

export type ShortcutName = keyof Settings['shortcuts'];

export const SHORTCUT_ACTIONS: Readonly<Record<ShortcutName, ShellAction>> = {
  toggleWindow: { kind: 'toggle-window' },
  openLatestApproval: { kind: 'open-latest-approval' },
};

export const SHORTCUT_LABELS: Readonly<Record<ShortcutName, string>> = {
  toggleWindow: 'Show/hide the window',
  openLatestApproval: 'Open the latest approval',
};

/** The part of Electron's globalShortcut the manager uses. */
export interface GlobalShortcutPort {
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
}

export type ConflictReason = 'in-use' | 'invalid' | 'duplicate';

export interface ShortcutConflict {
  name: ShortcutName;
  accelerator: string;
  reason: ConflictReason;
  message: string;
}

export interface ShortcutReport {
  registered: { name: ShortcutName; accelerator: string }[];
  conflicts: ShortcutConflict[];
}

function describe(name: ShortcutName, accelerator: string, reason: ConflictReason, detail?: string): string {
  const what = `${SHORTCUT_LABELS[name]} (${accelerator})`;
  switch (reason) {
    case 'in-use':
      return `${what}: the shortcut is already taken by another application or the system; choose another in Settings`;
    case 'invalid':
      return `${what}: not a valid accelerator${detail ? ` (${detail})` : ''}; choose another in Settings`;
    case 'duplicate':
      return `${what}: the same shortcut is set for another action`;
  }
}

export class ShortcutManager {
  private current = new Map<ShortcutName, string>();
  private lastKey: string | null = null;
  private lastReport: ShortcutReport = { registered: [], conflicts: [] };

  constructor(
    private readonly port: GlobalShortcutPort,
    private readonly dispatch: (action: ShellAction) => void,
  ) {}

  /**
   * Registers the shortcuts of `wanted`, replacing those registered before. Idempotent: the
   * same settings again change nothing and return the previous report.
   */
  apply(wanted: Settings['shortcuts']): ShortcutReport {
    const key = JSON.stringify(wanted);
    if (key === this.lastKey) return this.lastReport;
    this.unregisterAll();
    const report: ShortcutReport = { registered: [], conflicts: [] };
    const taken = new Map<string, ShortcutName>();
    for (const name of Object.keys(SHORTCUT_ACTIONS) as ShortcutName[]) {
      const accelerator = wanted[name];
      const normalized = accelerator.toLowerCase().replace(/\s+/g, '');
      if (taken.has(normalized)) {
        report.conflicts.push({ name, accelerator, reason: 'duplicate', message: describe(name, accelerator, 'duplicate') });
        continue;
      }
      let ok: boolean;
      try {
        ok = this.port.register(accelerator, () => this.dispatch(SHORTCUT_ACTIONS[name]));
      } catch (e) {
        const detail = e instanceof Error ? e.message : String(e);
        report.conflicts.push({ name, accelerator, reason: 'invalid', message: describe(name, accelerator, 'invalid', detail) });
        continue;
      }
      if (!ok) {
        report.conflicts.push({ name, accelerator, reason: 'in-use', message: describe(name, accelerator, 'in-use') });
        continue;
      }
      taken.set(normalized, name);
      this.current.set(name, accelerator);
      report.registered.push({ name, accelerator });
    }
    this.lastKey = key;
    this.lastReport = report;
    return report;
  }

  /** What is registered now, by action (the application menu shows these accelerators). */
  registered(): ReadonlyMap<ShortcutName, string> {
    return this.current;
  }

  unregisterAll(): void {
    for (const accelerator of this.current.values()) this.port.unregister(accelerator);
    this.current = new Map();
    this.lastKey = null;
  }
}
