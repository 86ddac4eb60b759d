import { useApp, useUi } from '../../state/hooks';
import { AddRepositoryDialog } from './AddRepositoryDialog';
import { CancelDialog } from './CancelDialog';
import { CommandPalette } from './CommandPalette';
import { CreateWorktreeDialog } from './CreateWorktreeDialog';
import { DenyToolDialog } from './DenyToolDialog';
import { HelpOverlay } from './HelpOverlay';
import { IssuesDialog } from './IssuesDialog';
import { RejectDialog } from './RejectDialog';
import { RemoveWorktreeDialog } from './RemoveWorktreeDialog';
import { SettingsDialog } from './SettingsDialog';
import { StartWorkflowDialog } from './StartWorkflowDialog';

/** Shows the one open dialog. */
export function DialogHost() {
  const app = useApp();
  const dialog = useUi((s) => s.dialog);
  const close = () => app.stores.ui.setState({ dialog: null });
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'start':
      return <StartWorkflowDialog initialWorktree={dialog.worktreePath} onClose={close} />;
    case 'reject':
      return <RejectDialog workflowId={dialog.workflowId} onClose={close} />;
    case 'cancel':
      return <CancelDialog workflowId={dialog.workflowId} onClose={close} />;
    case 'addRepository':
      return <AddRepositoryDialog onClose={close} />;
    case 'createWorktree':
      return <CreateWorktreeDialog initialRepo={dialog.repoId} onClose={close} />;
    case 'removeWorktree':
      return <RemoveWorktreeDialog worktreePath={dialog.worktreePath} onClose={close} />;
    case 'palette':
      return <CommandPalette onClose={close} />;
    case 'help':
      return <HelpOverlay onClose={close} />;
    case 'settings':
      return <SettingsDialog onClose={close} />;
    case 'issues':
      return <IssuesDialog initialRepo={dialog.repoId} onClose={close} />;
    case 'denyTool':
      return <DenyToolDialog workflowId={dialog.workflowId} requestId={dialog.requestId} onClose={close} />;
  }
}
