// `npm start`: the desktop app where a window can open, else the same app served to a browser
// (src/main/launch/). `npm start -- --desktop` never falls back; `-- --headless` skips the window.
import { fileURLToPath } from 'node:url';
import { electronBinaryPresent } from './electron-binary.mjs';
import { exitOnOldNode } from './node-version.mjs';

exitOnOldNode();
const { tsImport } = await import('tsx/esm/api');
const { runStart } = await tsImport('../src/main/launch/start.ts', import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
process.exit(await runStart(process.argv.slice(2), root, electronBinaryPresent(root)));
