// Settings rows: one key per setting, JSON values, defaults for what was never set.
import type Database from 'better-sqlite3';
import { durably } from './durableCommit';
import { DEFAULT_SETTINGS, SettingsSchema, type Settings, type SettingsPatch } from '../../../shared/settings';

export class SettingsStore {
  private readonly allStmt: Database.Statement<[], { key: string; value_json: string }>;
  private readonly putStmt: Database.Statement<[string, string]>;
  private cached: Settings | null = null;

  constructor(private readonly db: Database.Database) {
    this.allStmt = db.prepare('SELECT key, value_json FROM settings');
    this.putStmt = db.prepare(
      'INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json',
    );
  }

  get(): Settings {
    if (this.cached) return this.cached;
    const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const { key, value_json } of this.allStmt.all()) {
      if (Object.hasOwn(DEFAULT_SETTINGS, key)) merged[key] = JSON.parse(value_json);
    }
    // A value written by an older version that no longer validates falls back to its default.
    const parsed = SettingsSchema.safeParse(merged);
    this.cached = parsed.success ? parsed.data : this.repair(merged);
    return this.cached;
  }

  /**
   * Writes an already validated patch in one transaction, synced before it returns (a person's
   * choice survives a power cut: durableCommit.ts), and returns the whole.
   */
  set(patch: SettingsPatch): Settings {
    const write = this.db.transaction(() => {
      for (const [key, value] of Object.entries(patch)) {
        if (value !== undefined) this.putStmt.run(key, JSON.stringify(value));
      }
    });
    durably(this.db, () => write());
    this.cached = null;
    return this.get();
  }

  private repair(merged: Record<string, unknown>): Settings {
    const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof Settings)[]) {
      const field = SettingsSchema.shape[key].safeParse(merged[key]);
      if (field.success) out[key] = field.data;
    }
    return out as Settings;
  }
}
