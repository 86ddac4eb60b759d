// The layer allow-lists of eslint.config.js (docs/architecture.md), checked the way a developer
// meets them: a planted file in each layer, linted by ESLint's own API with the project's config.
// Each layer gets imports it must refuse, with its own message, and imports it must accept.
// The planted files are never written: lintText lints source as if it were at that path.
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

/** The layer rule's messages for `code` linted as the file `file` (repo-relative). */
async function layerMessages(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  expect(result!.messages.filter((m) => m.fatal)).toEqual([]);
  return result!.messages.filter((m) => m.ruleId === 'switchyard/layers').map((m) => m.message);
}

interface Layer {
  layer: string;
  file: string;
  /** [code, the start of the message it must produce] */
  forbidden: [string, string][];
  /** Code whose every import the layer accepts. */
  allowed: string;
}

const refusal = (layer: string, spec: string) => `Layer ${layer} may not import '${spec}'`;

const LAYERS: Layer[] = [
  {
    layer: 'shared',
    file: 'src/shared/planted.ts',
    forbidden: [
      ["import 'node:fs';", refusal('shared', 'node:fs')],
      ["import 'path';", refusal('shared', 'path')],
      ["import 'electron';", refusal('shared', 'electron')],
      ["import 'better-sqlite3';", refusal('shared', 'better-sqlite3')],
      ["import 'react';", refusal('shared', 'react')],
      ["import '../main/core/bus';", refusal('shared', '../main/core/bus')],
      ["import '../../test/agents/realClis';", refusal('shared', '../../test/agents/realClis')],
    ],
    allowed: "import { z } from 'zod';\nimport { EMPTY_USAGE } from './events';\nimport * as all from '.';\nexport const x = [z, EMPTY_USAGE, all];",
  },
  {
    layer: 'core',
    file: 'src/main/core/pipeline/planted.ts',
    forbidden: [
      ["import 'electron';", refusal('core', 'electron')],
      ["import type { BrowserWindow } from 'electron';", refusal('core', 'electron')],
      ["import '../../shell/tray';", refusal('core', '../../shell/tray')],
      ["import '../../transport/handlers';", refusal('core', '../../transport/handlers')],
      ["import '../../server/server';", refusal('core', '../../server/server')],
      ["import '../../launch/start';", refusal('core', '../../launch/start')],
      ["import '../../../preload/bridge';", refusal('core', '../../../preload/bridge')],
      ["import '../../../renderer/src/state/app';", refusal('core', '../../../renderer/src/state/app')],
      ["import '../../../../scripts/electron-binary.mjs';", refusal('core', '../../../../scripts/electron-binary.mjs')],
      ["import '../../../../test/agents/realClis';", refusal('core', '../../../../test/agents/realClis')],
      ["import 'ws';", refusal('core', 'ws')],
      ["import '@octokit/core';", refusal('core', '@octokit/core')],
    ],
    allowed:
      "import { readFileSync } from 'node:fs';\nimport { join } from 'path';\nimport Database from 'better-sqlite3';\nimport { z } from 'zod';\nimport ignore from 'ignore';\n" +
      "import type { Workflow } from '../../../shared/domain';\nimport { EventBus } from '../bus';\nimport { x } from './streams/types';\nimport { Octokit } from '@octokit/rest';\n" +
      "export const all = [readFileSync, join, Database, z, ignore, EventBus, x, Octokit] as unknown as Workflow;",
  },
  {
    // The two workers of core/process and core/store, each with its sibling *Protocol.ts.
    layer: 'core worker',
    file: 'src/main/core/process/processRunner.worker.ts',
    forbidden: [
      ["import 'electron';", refusal('core worker', 'electron')],
      ["import '../orchestrator';", refusal('core worker', '../orchestrator')],
      ["import '../exec';", refusal('core worker', '../exec')],
      ["import './helpers';", refusal('core worker', './helpers')],
      ["import '../store/checkpointProtocol';", refusal('core worker', '../store/checkpointProtocol')],
      ["import 'zod';", refusal('core worker', 'zod')],
    ],
    allowed:
      "import { parentPort } from 'node:worker_threads';\nimport Database from 'better-sqlite3';\nimport { EMPTY_USAGE } from '../../../shared/events';\n" +
      "import { RUN } from './processRunnerProtocol';\nimport type { Message } from './processRunnerProtocol.ts';\n" +
      'export const all: unknown[] = [parentPort, Database, EMPTY_USAGE, RUN] as Message[];',
  },
  {
    layer: 'core worker',
    file: 'src/main/core/store/checkpoint.worker.ts',
    forbidden: [
      ["import { Checkpointer } from './checkpointer';", refusal('core worker', './checkpointer')],
      ["import '../process/processRunnerProtocol';", refusal('core worker', '../process/processRunnerProtocol')],
    ],
    allowed:
      "import { parentPort } from 'node:worker_threads';\nimport Database from 'better-sqlite3';\nimport { CHECKPOINT, type CheckpointMessage } from './checkpointProtocol';\n" +
      'export const all: unknown[] = [parentPort, Database, CHECKPOINT] as CheckpointMessage[];',
  },
  {
    layer: 'core protocol',
    file: 'src/main/core/process/processRunnerProtocol.ts',
    forbidden: [
      ["import 'node:fs';", refusal('core protocol', 'node:fs')],
      ["import { execFile } from '../exec';", refusal('core protocol', '../exec')],
      ["import 'better-sqlite3';", refusal('core protocol', 'better-sqlite3')],
      ["import 'electron';", refusal('core protocol', 'electron')],
    ],
    allowed:
      "import type { Readable } from 'node:stream';\nimport type { ExecResult } from '../exec';\nimport { EMPTY_USAGE } from '../../../shared/events';\n" +
      'export type Message = Readable | ExecResult;\nexport const USAGE = EMPTY_USAGE;',
  },
  {
    layer: 'transport',
    file: 'src/main/transport/planted.ts',
    forbidden: [
      ["import { ipcMain } from 'electron';", refusal('transport', 'electron')],
      ["import '../shell/desktop';", refusal('transport', '../shell/desktop')],
      ["import '../server/server';", refusal('transport', '../server/server')],
      ["import '../../renderer/src/client';", refusal('transport', '../../renderer/src/client')],
    ],
    allowed:
      "import { createServer } from 'node:http';\nimport { WebSocketServer } from 'ws';\nimport { z } from 'zod';\nimport { createCore } from '../core/createCore';\n" +
      "import { METHOD_NAMES } from '../../shared/methods';\nimport { invoke } from './dispatch';\nexport const all = [createServer, WebSocketServer, z, createCore, METHOD_NAMES, invoke];",
  },
  {
    layer: 'server',
    file: 'src/main/server/planted.ts',
    forbidden: [
      ["import 'electron';", refusal('server', 'electron')],
      ["import '../shell/tray';", refusal('server', '../shell/tray')],
      ["import '../launch/start';", refusal('server', '../launch/start')],
      ["import '../../renderer/src/main';", refusal('server', '../../renderer/src/main')],
      ["import '../../preload/bridge';", refusal('server', '../../preload/bridge')],
    ],
    allowed:
      "import { createServer } from 'node:http';\nimport { WebSocketServer } from 'ws';\nimport { createCore } from '../core/createCore';\n" +
      "import { createHandlers } from '../transport/handlers';\nimport { parseServeArgs } from './args';\nexport const all = [createServer, WebSocketServer, createCore, createHandlers, parseServeArgs];",
  },
  {
    // The headless entry sits beside the folders, in the server layer.
    layer: 'server',
    file: 'src/main/serve.ts',
    forbidden: [
      ["import 'electron';", refusal('server', 'electron')],
      ["import './shell/desktop';", refusal('server', './shell/desktop')],
    ],
    allowed: "import { createCore } from './core/createCore';\nimport { startServe } from './server/serveRuntime';\nexport const all = [createCore, startServe];",
  },
  {
    layer: 'launch',
    file: 'src/main/launch/planted.ts',
    forbidden: [
      ["import { electronBinaryPresent } from '../../../scripts/electron-binary.mjs';", refusal('launch', '../../../scripts/electron-binary.mjs')],
      ["import 'electron';", refusal('launch', 'electron')],
      ["import '../server/server';", refusal('launch', '../server/server')],
      ["import '../shell/desktop';", refusal('launch', '../shell/desktop')],
    ],
    allowed:
      "import { spawn } from 'node:child_process';\nimport { desktopDataDir } from '../core/dataDir';\nimport { decideStart } from './startMode';\n" +
      'export const all = [spawn, desktopDataDir, decideStart];',
  },
  {
    layer: 'shell',
    file: 'src/main/shell/planted.ts',
    forbidden: [
      ["import '../server/server';", refusal('shell', '../server/server')],
      ["import '../launch/start';", refusal('shell', '../launch/start')],
      ["import '../../preload/bridge';", refusal('shell', '../../preload/bridge')],
      ["import '../../renderer/src/state/app';", refusal('shell', '../../renderer/src/state/app')],
      ["import 'react';", refusal('shell', 'react')],
    ],
    allowed:
      "import { app } from 'electron';\nimport { join } from 'node:path';\nimport { createCore } from '../core/createCore';\nimport { createHandlers } from '../transport/handlers';\n" +
      "import { ACTIVE_STATUSES } from '../../shared/status';\nimport { trayIconPng } from './icons';\nexport const all = [app, join, createCore, createHandlers, ACTIVE_STATUSES, trayIconPng];",
  },
  {
    // The Electron entry sits beside the folders, in the shell layer.
    layer: 'shell',
    file: 'src/main/index.ts',
    forbidden: [["import './server/server';", refusal('shell', './server/server')]],
    allowed: "import { app } from 'electron';\nimport { runDesktopApp } from './shell/desktop';\nexport const all = [app, runDesktopApp];",
  },
  {
    layer: 'preload',
    file: 'src/preload/planted.ts',
    forbidden: [
      ["import 'node:fs';", refusal('preload', 'node:fs')],
      ["import { shell } from 'electron';", refusal('preload', 'electron')],
      ["import * as electron from 'electron';", refusal('preload', 'electron')],
      ["import 'electron';", refusal('preload', 'electron')],
      ["import '../main/core/bus';", refusal('preload', '../main/core/bus')],
      ["import '../renderer/src/client';", refusal('preload', '../renderer/src/client')],
    ],
    allowed:
      "import { contextBridge, ipcRenderer } from 'electron';\nimport { METHOD_NAMES } from '../shared/methods';\nimport { exposeBridge } from './bridge';\n" +
      'export const all = [contextBridge, ipcRenderer, METHOD_NAMES, exposeBridge];',
  },
  {
    layer: 'renderer',
    file: 'src/renderer/src/lib/planted.ts',
    forbidden: [
      ["import 'node:fs';", refusal('renderer', 'node:fs')],
      ["import 'electron';", refusal('renderer', 'electron')],
      ["import 'better-sqlite3';", refusal('renderer', 'better-sqlite3')],
      ["import 'ignore';", refusal('renderer', 'ignore')],
      ["import '../../../main/core/bus';", refusal('renderer', '../../../main/core/bus')],
      ["import '../../../preload/bridge';", refusal('renderer', '../../../preload/bridge')],
      ["import 'vitest';", refusal('renderer', 'vitest')],
    ],
    allowed:
      "import { useState } from 'react';\nimport { createStore } from 'zustand/vanilla';\nimport { useVirtualizer } from '@tanstack/react-virtual';\n" +
      "import { EMPTY_USAGE } from '../../../shared/events';\nimport { keymap } from './keymap';\nimport '../styles/theme.css';\n" +
      'export const all = [useState, createStore, useVirtualizer, EMPTY_USAGE, keymap];',
  },
  {
    layer: 'scripts',
    file: 'scripts/planted.mjs',
    forbidden: [
      ["import '../test/agents/realClis.ts';", refusal('scripts', '../test/agents/realClis.ts')],
      ["import '../src/renderer/src/main.tsx';", refusal('scripts', '../src/renderer/src/main.tsx')],
      ["import '../src/preload/index.ts';", refusal('scripts', '../src/preload/index.ts')],
    ],
    allowed:
      "import { spawn } from 'node:child_process';\nimport { exitOnOldNode } from './node-version.mjs';\nimport { appIconPng } from '../src/main/shell/icons.ts';\n" +
      "const { tsImport } = await import('tsx/esm/api');\nexport const all = [spawn, exitOnOldNode, appIconPng, tsImport];",
  },
];

describe('each layer refuses what it may not import, with its own message', () => {
  for (const { layer, file, forbidden, allowed } of LAYERS) {
    describe(`${layer} (${file})`, () => {
      it.each(forbidden)('refuses %s', async (code, message) => {
        const messages = await layerMessages(file, code);
        expect(messages).toHaveLength(1);
        expect(messages[0]).toMatch(new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(${layer}: `));
      });
      it('accepts what it may import', async () => {
        expect(await layerMessages(file, allowed)).toEqual([]);
      });
    });
  }
});

describe('src/ and test code', () => {
  it('a file under src/ in no layer is refused', async () => {
    const [message] = await layerMessages('src/main/planted.ts', 'export const x = 1;');
    expect(message).toMatch(/^src\/main\/planted\.ts belongs to no layer/);
  });

  it('production code never reads a path under test/ or scripts/ at run time', async () => {
    const core = await layerMessages('src/main/core/pipeline/streams/planted.ts', "export const DIR = new URL('../../../../../test/agents/recorded/', import.meta.url);");
    expect(core).toEqual([expect.stringMatching(/^src\/ never reads scripts\/ or test\/ at run time: .* is test\/agents\/recorded/)]);
    const launch = await layerMessages('src/main/launch/planted.ts', "export const BIN = import.meta.resolve('../../../scripts/electron-binary.mjs');");
    expect(launch).toEqual([expect.stringMatching(/^src\/ never reads scripts\/ or test\/ at run time: .* is scripts\/electron-binary\.mjs/)]);
    // Paths elsewhere (the built window) are fine.
    expect(await layerMessages('src/main/serve.ts', "export const D = new URL('../../out/renderer', import.meta.url);")).toEqual([]);
  });

  it('test code beside the code may use Vitest, Node and test/; production code may not import it', async () => {
    const test = "import { readFileSync } from 'node:fs';\nimport { it } from 'vitest';\nimport { bus } from './planted';\n" +
      "export const all = [readFileSync, it, bus, new URL('../../../../test/fixtures/agents/', import.meta.url)];";
    expect(await layerMessages('src/renderer/src/lib/planted.test.ts', test)).toEqual([]);
    expect(await layerMessages('src/main/core/testing/planted.ts', test)).toEqual([]);

    expect(await layerMessages('src/main/core/pipeline/planted.ts', "import { it } from 'vitest';")).toEqual([expect.stringMatching(refusal('core', 'vitest'))]);
    // Helpers live in a testing/ folder only: a file merely named testing.ts is production code.
    expect(await layerMessages('src/main/core/pipeline/testing.ts', "import { it } from 'vitest';")).toEqual([expect.stringMatching(refusal('core', 'vitest'))]);
    for (const spec of ['../testing/harness', './testing/fixtures', './outputPipes.test']) {
      expect(await layerMessages('src/main/core/pipeline/planted.ts', `import '${spec}';`)).toEqual([
        `Production code may not import test code ('${spec}'): *.test.ts and testing/ are for tests only.`,
      ]);
    }
    // A test beside the code may use the helpers of test/ (the recorded agent streams); production code may not.
    expect(await layerMessages('src/main/core/agents/planted.test.ts', "import { recordedLines } from '../../../../test/agents/recordedSink';\nexport const r = recordedLines;")).toEqual([]);
    expect(await layerMessages('src/main/core/agents/planted.ts', "import '../../../../test/agents/recordedSink';")).toEqual([
      expect.stringMatching(refusal('core', '../../../../test/agents/recordedSink')),
    ]);
  });

  it('a worker file is started as a worker, never imported by production code', async () => {
    expect(await layerMessages('src/main/core/process/planted.ts', "import '../store/checkpoint.worker';")).toEqual([
      "A worker file is started as a worker (`new Worker(url)`, or electron-vite's `?nodeWorker`), never imported ('../store/checkpoint.worker').",
    ]);
    const started =
      "import createRunner from './processRunner.worker?nodeWorker';\nimport checkpointPath from '../store/checkpoint.worker.ts?modulePath';\n" +
      "export const all = [createRunner, checkpointPath, new URL('./processRunner.worker.ts', import.meta.url)];";
    expect(await layerMessages('src/main/core/process/planted.ts', started)).toEqual([]);
    // Its own tests may import it.
    expect(await layerMessages('src/main/core/process/processRunner.test.ts', "import './processRunner.worker';")).toEqual([]);
  });
});
