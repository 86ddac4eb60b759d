import type { SwitchyardBridge } from '../../../shared/bridge';

declare global {
  interface Window {
    /** Provided by the Electron preload; absent in a browser on the headless server. */
    switchyard?: SwitchyardBridge;
  }
}
