import { isRail } from '../lib/sidebar';
import { useUi } from '../state/hooks';
import { DialogHost } from './dialogs/DialogHost';
import { KeyboardShortcuts } from './KeyboardShortcuts';
import { MainPane } from './MainPane';
import { Notice } from './Notice';
import { Sidebar } from './Sidebar';
import { StatusBar } from './StatusBar';
import { TrackerPoller } from './TrackerPoller';

export function App() {
  const rail = useUi((s) => isRail(s.sidebar, s.narrow));
  return (
    <div className={rail ? 'app with-rail' : 'app'}>
      <Sidebar />
      <main className="main">
        <Notice />
        <MainPane />
      </main>
      <StatusBar />
      <DialogHost />
      <KeyboardShortcuts />
      <TrackerPoller />
    </div>
  );
}
