import { describe, expect, it } from 'vitest';
import type { ShellAction } from './actions';
import { ShortcutManager, type GlobalShortcutPort } from './shortcuts';

class FakeGlobalShortcut implements GlobalShortcutPort {
  readonly owned = new Map<string, () => void>();
  constructor(
    private readonly takenByOthers: Set<string> = new Set(),
    private readonly invalid: Set<string> = new Set(),
  ) {}
  register(accelerator: string, callback: () => void): boolean {
    if (this.invalid.has(accelerator)) throw new Error(`Error processing argument: conversion failure from ${accelerator}`);
    if (this.takenByOthers.has(accelerator) || this.owned.has(accelerator)) return false;
    this.owned.set(accelerator, callback);
    return true;
  }
  unregister(accelerator: string): void {
    this.owned.delete(accelerator);
  }
  press(accelerator: string): void {
    this.owned.get(accelerator)?.();
  }
}

const defaults = { toggleWindow: 'CommandOrControl+Shift+Y', openLatestApproval: 'CommandOrControl+Shift+A' };

describe('ShortcutManager', () => {
  it('registers both shortcuts and dispatches their actions', () => {
    const port = new FakeGlobalShortcut();
    const seen: ShellAction[] = [];
    const m = new ShortcutManager(port, (a) => seen.push(a));
    const report = m.apply(defaults);
    expect(report.conflicts).toEqual([]);
    expect(report.registered.map((r) => r.name)).toEqual(['toggleWindow', 'openLatestApproval']);
    port.press(defaults.toggleWindow);
    port.press(defaults.openLatestApproval);
    expect(seen).toEqual([{ kind: 'toggle-window' }, { kind: 'open-latest-approval' }]);
  });

  it('reports a shortcut another application holds, and keeps the other one', () => {
    const port = new FakeGlobalShortcut(new Set([defaults.toggleWindow]));
    const m = new ShortcutManager(port, () => {});
    const report = m.apply(defaults);
    expect(report.registered).toEqual([{ name: 'openLatestApproval', accelerator: defaults.openLatestApproval }]);
    expect(report.conflicts).toHaveLength(1);
    expect(report.conflicts[0]).toMatchObject({ name: 'toggleWindow', accelerator: defaults.toggleWindow, reason: 'in-use' });
    expect(report.conflicts[0]!.message).toMatch(/already taken by another application/);
    expect([...port.owned.keys()]).toEqual([defaults.openLatestApproval]);
  });

  it('reports an accelerator Electron cannot parse as invalid instead of crashing', () => {
    const port = new FakeGlobalShortcut(new Set(), new Set(['Hyper+Banana']));
    const report = new ShortcutManager(port, () => {}).apply({ ...defaults, openLatestApproval: 'Hyper+Banana' });
    expect(report.conflicts).toEqual([expect.objectContaining({ name: 'openLatestApproval', reason: 'invalid' })]);
    expect(report.conflicts[0]!.message).toContain('conversion failure');
  });

  it('reports the same accelerator for two actions as a duplicate', () => {
    const port = new FakeGlobalShortcut();
    const report = new ShortcutManager(port, () => {}).apply({ toggleWindow: 'Alt+S', openLatestApproval: 'alt + s' });
    expect(report.registered).toEqual([{ name: 'toggleWindow', accelerator: 'Alt+S' }]);
    expect(report.conflicts).toEqual([expect.objectContaining({ name: 'openLatestApproval', reason: 'duplicate' })]);
  });

  it('replaces the previous registration when the settings change, and is idempotent otherwise', () => {
    const port = new FakeGlobalShortcut();
    const m = new ShortcutManager(port, () => {});
    const first = m.apply(defaults);
    expect(m.apply({ ...defaults })).toBe(first);
    m.apply({ ...defaults, toggleWindow: 'Alt+F1' });
    expect([...port.owned.keys()].sort()).toEqual(['Alt+F1', defaults.openLatestApproval].sort());
    m.unregisterAll();
    expect(port.owned.size).toBe(0);
  });

  it('retries a shortcut that failed once the settings change back', () => {
    const taken = new Set([defaults.toggleWindow]);
    const port = new FakeGlobalShortcut(taken);
    const m = new ShortcutManager(port, () => {});
    expect(m.apply(defaults).conflicts).toHaveLength(1);
    taken.clear();
    m.apply({ ...defaults, toggleWindow: 'Alt+F2' });
    expect(m.apply(defaults).conflicts).toEqual([]);
  });
});
