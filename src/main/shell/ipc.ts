// Electron's side of the IPC binding: hands the real `ipcMain` to transport/ipcBinding.ts, which
// stays Electron-free (transport is shared with the headless server, which never loads Electron).
// The desktop shell (./desktop.ts) calls bindElectronIpc once the window exists.
import { ipcMain, type WebContents } from 'electron';
import { bindIpc, rendererOriginCheck, type BindIpcOptions, type IpcBinding, type WebContentsLike } from '../transport/ipcBinding';

export { rendererOriginCheck } from '../transport/ipcBinding';
export type { IpcBinding } from '../transport/ipcBinding';

export function bindElectronIpc(
  options: Omit<BindIpcOptions, 'ipcMain' | 'getWebContents' | 'isTrustedOrigin'> & {
    getWebContents: () => WebContents | null;
    /** Defaults to the dev server's origin (ELECTRON_RENDERER_URL) or the packaged renderer file. */
    isTrustedOrigin?: (url: string) => boolean;
    rendererFile?: string;
  },
): IpcBinding {
  return bindIpc({
    ...options,
    ipcMain: ipcMain as unknown as BindIpcOptions['ipcMain'],
    getWebContents: options.getWebContents as () => WebContentsLike | null,
    isTrustedOrigin:
      options.isTrustedOrigin ?? rendererOriginCheck({ rendererUrl: process.env.ELECTRON_RENDERER_URL, rendererFile: options.rendererFile }),
  });
}
