// Electron entry: the desktop shell (src/main/shell/). Everything it decides is in plain,
// tested modules; shell/desktop.ts connects them to Electron.
import { runDesktopApp } from './shell/desktop';

runDesktopApp();
