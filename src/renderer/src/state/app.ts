// The application object: the client, the stores, and the one listener per domain that writes
// them. Components never subscribe to the client themselves; they read stores and call `commands`.
import type { Workflow } from '../../../shared/domain';
import type { SwitchyardClient } from '../client';
import type { Scheduler } from '../lib/frame';
import { notificationFor, type NotificationText } from '../lib/notify';
import { createCommands, type Commands } from './commands';
import { createEventsFeed, type EventsFeed } from './eventsFeed';
import { createStores, type Stores } from './stores';
import { PushClock, repoOfWorktree, upsertWorkflows } from './workflowsModel';
import { createWorktreeRuns, type WorktreeRunsApi } from './worktreeRuns';

export type Notifier = (text: NotificationText, onClick: () => void) => void;

export interface AppOptions {
  schedule: Scheduler;
  /** Shows a notification; only called for the web build (client.kind === 'websocket'). */
  notify?: Notifier;
}

export interface App {
  client: SwitchyardClient;
  stores: Stores;
  feed: EventsFeed;
  commands: Commands;
  /** Rule 13: worktrees' setup and run command, and their output. */
  worktreeRuns: WorktreeRunsApi;
  /** Loads everything and starts listening; returns the function that stops. */
  start(): () => void;
}

export function createApp(client: SwitchyardClient, options: AppOptions): App {
  const stores = createStores(client.connection());
  const clock = new PushClock();
  const feed = createEventsFeed(client, stores.events, options.schedule);
  const commands = createCommands(client, stores, clock);
  const worktreeRuns = createWorktreeRuns(client, stores, commands);

  const onWorkflow = (w: Workflow) => {
    clock.pushed(w.id);
    const previous = stores.workflows.getState().byId[w.id];
    stores.workflows.setState((s) => upsertWorkflows(s, [w]));
    // A worktree's dirty flag and active workflow change with its workflow: re-read its repo.
    if (!previous || previous.status !== w.status) {
      const repoId = repoOfWorktree(stores.repos.getState().worktrees, w.worktreePath);
      if (repoId) commands.refreshWorktreesSoon(repoId);
    }
    const text = client.kind === 'websocket' && options.notify && stores.connection.getState().settings?.notifications !== false
      ? notificationFor(previous, w)
      : null;
    if (text) options.notify!(text, () => commands.openWorkflow(w.id));
  };

  return {
    client,
    stores,
    feed,
    commands,
    worktreeRuns,
    start() {
      const offs = [
        client.onConnection((state) => {
          const before = stores.connection.getState().state;
          stores.connection.setState({ state });
          if (state === 'open' && before !== 'open') void commands.refreshAll();
        }),
        client.onWorkflow(onWorkflow),
        client.onNavigate((workflowId) => void commands.openWorkflow(workflowId)),
      ];
      if (client.connection() === 'open') void commands.refreshAll();
      return () => offs.forEach((off) => off());
    },
  };
}
