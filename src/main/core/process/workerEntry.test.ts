// Where a worker's entry is found: beside the bundle when built (out/main/<entry>.js), the .ts
// source through tsx otherwise. (Every other test of the workers runs them from source.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunRequest } from './processRunnerProtocol';
import { startWorker } from './workerEntry';

const firstMessage = (worker: Worker) =>
  new Promise<unknown>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  }).finally(() => worker.terminate());

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe('startWorker', () => {
  it("built: starts <entry>.js beside the bundle, whatever the bundle URL's query", async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-worker-'));
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
    writeFileSync(join(dir, 'echo.worker.js'), "import { parentPort } from 'node:worker_threads';\nparentPort.postMessage(import.meta.url);\n");
    const bundle = `${pathToFileURL(join(dir, 'index.js')).href}?standIn=app1`;
    expect(await firstMessage(startWorker(bundle, 'echo.worker'))).toBe(pathToFileURL(join(dir, 'echo.worker.js')).href);
  });

  it('from source: starts the .ts entry with tsx, so it may use TypeScript and import its protocol', async () => {
    const worker = startWorker(new URL('./processRunner.ts', import.meta.url).href, 'processRunner.worker');
    const reply = firstMessage(worker);
    const request: RunRequest = { kind: 'run', id: 7, program: process.execPath, args: ['-e', 'process.stdout.write("ts")'], cwd: undefined, env: process.env, maxBuffer: 100, maxStderr: 100, timeoutMs: undefined, input: undefined };
    worker.postMessage(request);
    expect(await reply).toMatchObject({ kind: 'result', id: 7, result: { code: 0, stdout: 'ts' } });
  });
});
