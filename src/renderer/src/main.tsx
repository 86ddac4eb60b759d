// First: zod must be jitless before any schema is built (see zodConfig.ts).
import './zodConfig';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './client';
import { App } from './components/App';
import { askNotificationPermissionOnGesture, showBrowserNotification } from './lib/browserNotify';
import { frameScheduler } from './lib/frame';
import { createApp } from './state/app';
import { AppContext } from './state/hooks';
import { bindSidebar } from './state/sidebarPreference';
import './styles/theme.css';
import './styles/layout.css';
import './styles/workflow.css';
import './styles/events.css';
import './styles/agent.css';
import './styles/dialogs.css';

const client = createClient();
const app = createApp(client, { schedule: frameScheduler, notify: showBrowserNotification });
bindSidebar(app.stores.ui, window);
app.start();
if (client.kind === 'websocket') askNotificationPermissionOnGesture();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppContext.Provider value={app}>
      <App />
    </AppContext.Provider>
  </StrictMode>,
);
