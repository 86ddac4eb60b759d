import { DialogHost } from './dialogs/DialogHost';
import { KeyboardShortcuts } from './KeyboardShortcuts';
import { MainPane } from './MainPane';
import { Notice } from './Notice';
import { Sidebar } from './Sidebar';
import { StatusBar } from './StatusBar';

export function App() {
  return (
    <div className="app">
      <Sidebar />
      <main className="main">
        <Notice />
        <MainPane />
      </main>
      <StatusBar />
      <DialogHost />
      <KeyboardShortcuts />
    </div>
  );
}
