// The thin Electron layer of the IPC binding: the only transport file that loads `electron`.
// The desktop shell (src/main/index.ts) calls bindElectronIpc once the window exists.
import { ipcMain, type WebContents } from 'electron';
import { bindIpc, rendererOriginCheck, type BindIpcOptions, type IpcBinding, type WebContentsLike } from './ipcBinding';

export { rendererOriginCheck } from './ipcBinding';
export type { IpcBinding } from './ipcBinding';

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
