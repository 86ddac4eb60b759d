import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { createApp } from './app';
import { FakeClient } from '../testing/fakeClient';
import { runAction } from './runAction';

describe('settings in the window', () => {
  it('opens the settings screen from its action, and saves a patch into the connection store', async () => {
    let stored = { ...DEFAULT_SETTINGS };
    const client = new FakeClient()
      .handle('settings.get', () => stored)
      .handle('settings.set', (patch) => (stored = { ...stored, ...patch }));
    const app = createApp(client, { schedule: (r) => r() });
    runAction(app, 'settings');
    expect(app.stores.ui.getState().dialog).toEqual({ kind: 'settings' });

    await app.commands.refreshSettings();
    expect(app.stores.connection.getState().settings?.maxConcurrent).toBe(5);
    const saved = await app.commands.saveSettings({ maxConcurrent: 3, workflowBudgetUsd: 2.5 });
    expect(client.calls.at(-1)).toEqual({ method: 'settings.set', params: { maxConcurrent: 3, workflowBudgetUsd: 2.5 } });
    expect(saved).toEqual({ ...DEFAULT_SETTINGS, maxConcurrent: 3, workflowBudgetUsd: 2.5 });
    expect(app.stores.connection.getState().settings).toEqual(saved);
  });
});
