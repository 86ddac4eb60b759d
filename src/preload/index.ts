// The preload: exposes the typed contract to the renderer (filled in by the wire issue).
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('switchyardInfo', { platform: process.platform });
