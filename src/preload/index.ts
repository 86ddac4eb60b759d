// The preload (CommonJS, sandboxed): exposes `window.switchyard`, the typed contract
// (src/shared/bridge.ts). The logic lives in ./bridge so that tests run it with fakes.
import { contextBridge, ipcRenderer } from 'electron';
import { exposeBridge } from './bridge';

exposeBridge(contextBridge, ipcRenderer);
