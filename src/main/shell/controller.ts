// The shell's brain, without Electron: it keeps the ShellModel up to date from the core's bus,
// rebuilds the tray and the application menu, routes notifications, and carries out every
// ShellAction (tray, menu, shortcut, notification click). The Electron layer supplies ports.
import type { Workflow } from '../../shared/domain';
import type { Settings } from '../../shared/settings';
import type { MenuSpec, ShellAction } from './actions';
import { buildAppMenu } from './appMenu';
import { ShellModel, type NotificationSpec } from './shellModel';
import { buildTrayMenu, trayState, trayTooltip, type TrayState } from './tray';

/** The push-like message the window receives to open a workflow (see docs/desktop.md). */
export { NAVIGATE_CHANNEL } from '../../shared/methods';
export interface NavigateMessage {
  workflowId: string;
}

export interface WindowPort {
  /** Shows, restores and focuses the window (creating it if needed). */
  show(): void;
  hide(): void;
  isVisible(): boolean;
  isFocused(): boolean;
  /** Sends NAVIGATE_CHANNEL with the message to the renderer (queued until it has loaded). */
  navigate(message: NavigateMessage): void;
}

export interface ShellPorts {
  window: WindowPort;
  cancel(workflowId: string): Promise<unknown>;
  cancelAll(): Promise<unknown>;
  requestQuit(): void;
  settings(): Settings;
  setTray(state: TrayState, tooltip: string, menu: MenuSpec[]): void;
  setAppMenu(menu: MenuSpec[]): void;
  notify(spec: NotificationSpec): void;
  log(message: string, error?: unknown): void;
}

export const TRAY_CANCEL_REASON = 'Cancelled from the tray or menu';

export class ShellController {
  readonly model: ShellModel;

  constructor(
    private readonly ports: ShellPorts,
    initialActive: readonly Workflow[],
    private readonly platform: NodeJS.Platform,
    private readonly dev = false,
  ) {
    this.model = new ShellModel(initialActive);
  }

  /** A workflow changed (the core's bus): update, notify, redraw. */
  onWorkflow(workflow: Workflow): void {
    const notification = this.model.update(workflow);
    if (notification && this.shouldNotify(notification)) this.ports.notify(notification);
    this.refresh();
  }

  /** No native notification for what the user is looking at, or when notifications are off. */
  private shouldNotify(spec: NotificationSpec): boolean {
    if (!this.ports.settings().notifications) return false;
    return !this.ports.window.isFocused() || spec.kind === 'approval';
  }

  /** The user looked at the window: failures are no longer news. */
  onWindowFocused(): void {
    this.model.markSeen();
    this.refresh();
  }

  refresh(): void {
    const summary = this.model.summary();
    const active = this.model.active();
    this.ports.setTray(trayState(summary), trayTooltip(summary, active), buildTrayMenu(active, summary));
    this.ports.setAppMenu(buildAppMenu({ platform: this.platform, active, shortcuts: this.ports.settings().shortcuts, dev: this.dev }));
  }

  dispatch(action: ShellAction): void {
    switch (action.kind) {
      case 'show-window':
        this.ports.window.show();
        return;
      case 'toggle-window':
        if (this.ports.window.isVisible() && this.ports.window.isFocused()) this.ports.window.hide();
        else this.ports.window.show();
        return;
      case 'open-workflow':
        this.openWorkflow(action.workflowId);
        return;
      case 'open-latest-approval': {
        const id = this.model.latestApproval();
        if (id) this.openWorkflow(id);
        else this.ports.window.show();
        return;
      }
      case 'cancel':
        this.ports.cancel(action.workflowId).catch((e: unknown) => this.ports.log(`switchyard: cancelling ${action.workflowId} failed`, e));
        return;
      case 'cancel-all':
        this.ports.cancelAll().catch((e: unknown) => this.ports.log('switchyard: cancelling all workflows failed', e));
        return;
      case 'quit':
        this.ports.requestQuit();
        return;
    }
  }

  private openWorkflow(workflowId: string): void {
    this.model.markSeen(workflowId);
    this.ports.window.show();
    this.ports.window.navigate({ workflowId });
    this.refresh();
  }
}
