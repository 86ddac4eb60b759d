// The core's two worker threads in the BUILT app (issue #25): electron-vite builds each as its own
// entry beside the main bundle, and the bundle starts them from there. Seen from outside, through
// Node's `worker_threads` diagnostics channel: a git call and a stage's agent really go through the
// process runner, and the checkpointer's connection comes up, with the messages of their protocols.
import assert from 'node:assert/strict';
import dc from 'node:diagnostics_channel';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Worker } from 'node:worker_threads';
import type { Repo, Workflow, Worktree } from '../../src/shared/domain';
import type { RunnerReply } from '../../src/main/core/process/processRunnerProtocol';
import type { CheckpointReply } from '../../src/main/core/store/checkpointProtocol';
import { load } from 'js-yaml';
import { OUT, launch, makeRepo, root, tempDir } from './harness';
import { packsAppFile, unpacksFile } from './prebuild';

const WORKERS = { 'switchyard process runner': OUT.processRunnerWorker, 'switchyard checkpoints': OUT.checkpointWorker };

interface Seen {
  name: string;
  messages: unknown[];
  errors: Error[];
}

/** Every worker thread started while it listens: its name, the messages it sent and its errors. */
function watchWorkers() {
  const seen: Seen[] = [];
  const onWorker = (message: unknown) => {
    const { worker } = message as { worker: Worker };
    const record: Seen = { name: worker.threadName ?? '', messages: [], errors: [] };
    seen.push(record);
    worker.on('message', (m: unknown) => record.messages.push(m));
    worker.on('error', (e: Error) => record.errors.push(e));
  };
  dc.subscribe('worker_threads', onWorker);
  return { seen, stop: () => dc.unsubscribe('worker_threads', onWorker) };
}

describe('the worker threads of the built app', () => {
  it('are built as entries of their own in out/main, importing only Node built-ins; the bundle holds no worker program', () => {
    for (const file of Object.values(WORKERS)) {
      assert.ok(existsSync(file), `${file} exists`);
      const imports = [...readFileSync(file, 'utf8').matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]!);
      assert.deepEqual(imports.filter((i) => !i.startsWith('node:')), [], `${file} imports only Node built-ins`);
    }
    assert.doesNotMatch(readFileSync(OUT.main, 'utf8'), /eval: true/, 'no worker evaluated from a string');
  });

  it('are packed with the bundle, inside app.asar, on every platform', () => {
    const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
    for (const platform of ['linux', 'mac', 'win'] as const) {
      for (const file of ['out/main/index.js', 'out/main/processRunner.worker.js', 'out/main/checkpoint.worker.js']) {
        assert.ok(packsAppFile(config, platform, file), `${file} is packed for ${platform}`);
        assert.equal(unpacksFile(config, platform, file), false, `${file} stays in app.asar for ${platform}, where the bundle finds it`);
      }
    }
    assert.equal(packsAppFile({ files: ['out/**/*', '!out/main/*.worker.js'] }, 'linux', 'out/main/checkpoint.worker.js'), false, 'an exclusion is caught');
  });

  it('runs git and a stage through the built process runner, and checkpoints through the built checkpoint worker', async () => {
    const work = tempDir('workers');
    const repoDir = join(work, 'repo');
    makeRepo(repoDir);
    const workers = watchWorkers();
    const app = await launch({ userData: join(work, 'user-data') });
    try {
      app.listen();
      const repo = await app.call<Repo>('repos', 'add', { path: repoDir });
      const worktree = await app.call<Worktree>('worktrees', 'create', { repoId: repo.id, branch: 'workers' });
      const w = await app.call<Workflow>('workflows', 'start', { worktreePath: worktree.path, issueId: 'WORKERS-1', pipeline: 'quick' });
      await app.waitForStatus(w.id, 'completed');

      // (A thread without a name is Node's own, e.g. the module hooks' thread of the stand-in.)
      const apps = workers.seen.filter((s) => s.name.startsWith('switchyard'));
      assert.deepEqual(apps.map((s) => s.name).sort(), Object.keys(WORKERS).sort(), 'the app started both workers, once each');
      for (const { name, errors } of apps) assert.deepEqual(errors.map((e) => e.message), [], `${name} ran without an error`);
      const byName = (name: keyof typeof WORKERS) => apps.find((s) => s.name === name)!.messages;
      const runner = byName('switchyard process runner') as RunnerReply[];
      assert.ok(runner.some((r) => r.kind === 'result' && r.result.code === 0), 'a program (git) ran to its end in the process runner');
      assert.ok(runner.some((r) => r.kind === 'started') && runner.some((r) => r.kind === 'exited' && r.code === 0), "the stage's agent started and exited there");
      const checkpoints = byName('switchyard checkpoints') as CheckpointReply[];
      assert.deepEqual(checkpoints[0], { kind: 'ready', synchronous: 1 }, "the checkpointer's connection came up (synchronous=NORMAL)");
    } finally {
      workers.stop();
      await app.shutdown();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
