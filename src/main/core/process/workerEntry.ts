// Starts a worker thread from its entry file, which sits beside the code that starts it.
//
// Built (electron-vite, electron.vite.config.ts): every worker entry is bundled on its own into
// out/main/<entry>.js, next to the main bundle that starts it (inside app.asar once packaged;
// Electron reads workers from there as it reads the bundle). From source (tsx: `npm run serve`,
// the bench, the reliability suite; Vitest): the `.ts` entry itself, with tsx's loader registered
// in the worker, which has no loader of its own.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * `new Worker` for `<entry>.js` (built) or `<entry>.ts` (source) beside `callerUrl`, the caller's
 * `import.meta.url`: a bundle's own URL when built, the source file's when not.
 */
export function startWorker(callerUrl: string, entry: string, options: WorkerOptions = {}): Worker {
  if (!new URL(callerUrl).pathname.endsWith('.ts')) return new Worker(new URL(`./${entry}.js`, callerUrl), options);
  const tsx = pathToFileURL(createRequire(callerUrl).resolve('tsx')).href;
  return new Worker(new URL(`./${entry}.ts`, callerUrl), { ...options, execArgv: ['--import', tsx] });
}
