// Lint rules, including the layers of docs/architecture.md: each folder of src/ (and scripts/)
// lists what it MAY import, in the style of VS Code's `code-import-patterns`; anything else is an
// error, and so is a file under src/ that belongs to no layer.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { isBuiltin } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';
import { minimatch } from 'minimatch';

// ---- The layers. First match wins, so the narrower globs come first. ----------------------------
// Allow entries: '#node' (Node built-ins), a package name, { from, names } (only those named
// imports of a package), 'src/…', 'scripts/…' or 'test/…' (a glob on the imported file, from the repo root),
// './…' (a glob on a same-folder import as written). `types` adds what `import type` may reach.
const NODE = '#node';
const SHARED = 'src/shared/**';
const CORE = 'src/main/core/**';
const TRANSPORT = 'src/main/transport/**';

const LAYERS = [
  {
    name: 'core protocol',
    files: ['src/main/core/**/*Protocol.ts'],
    why: "a worker's message types: loaded by the worker and by the main thread, so its run-time imports are as narrow as a worker's",
    allow: [SHARED],
    types: [NODE, CORE],
  },
  {
    name: 'core worker',
    files: ['src/main/core/**/*.worker.ts'],
    why: 'a worker thread runs alone: it loads only what it needs, never the orchestrator around it',
    allow: [NODE, 'better-sqlite3', SHARED, './*Protocol'],
  },
  {
    name: 'core',
    files: ['src/main/core/**'],
    why: 'the engine is plain Node, never Electron, so all of it runs and is tested in Node and under the headless server; Octokit is its GitHub client (rule 12), ignore matches .worktreeinclude (rule 13)',
    allow: [NODE, 'better-sqlite3', 'zod', '@octokit/rest', 'ignore', SHARED, CORE],
  },
  {
    name: 'transport',
    files: ['src/main/transport/**'],
    why: "one handler table bound to IPC and the WebSocket; Electron's objects are passed in (shell/ipc.ts), as the headless server shares it",
    allow: [NODE, 'ws', 'zod', SHARED, CORE, TRANSPORT],
  },
  {
    name: 'server',
    files: ['src/main/server/**', 'src/main/serve.ts'],
    why: 'the headless app runs in plain Node: never Electron, the desktop shell, the launcher or the window code',
    allow: [NODE, 'ws', SHARED, CORE, TRANSPORT, 'src/main/server/**'],
  },
  {
    name: 'launch',
    files: ['src/main/launch/**'],
    why: '`npm start` runs under tsx before anything is built: it spawns electron-vite or the server, never loads Electron, and scripts/ calls it, not the reverse',
    allow: [NODE, SHARED, CORE, 'src/main/launch/**'],
  },
  {
    name: 'shell',
    files: ['src/main/shell/**', 'src/main/index.ts'],
    why: 'the desktop shell is the one main-process layer that loads Electron; it wires core and transport to it',
    allow: [NODE, 'electron', SHARED, CORE, TRANSPORT, 'src/main/shell/**'],
  },
  {
    name: 'preload',
    files: ['src/preload/**'],
    why: 'a sandboxed preload: the typed bridge over contextBridge and ipcRenderer, nothing else of Electron or Node',
    allow: [{ from: 'electron', names: ['contextBridge', 'ipcRenderer'] }, SHARED, 'src/preload/**'],
  },
  {
    name: 'renderer',
    files: ['src/renderer/**'],
    why: 'the window is a web page (also served to a browser): the contract and its own UI libraries, no Node, no Electron',
    allow: [SHARED, 'src/renderer/**', 'react', 'react-dom', 'zustand', 'zod', '@tanstack/react-virtual', 'react-markdown', 'remark-gfm'],
  },
  {
    name: 'shared',
    files: ['src/shared/**'],
    why: 'the contract is loaded by main, workers, preload and the window: it must run in Node and in a browser',
    allow: [SHARED, 'zod'],
  },
  {
    name: 'scripts',
    files: ['scripts/**'],
    why: 'command-line entry points: they run Node tools and may load the main-process code they start; never test/, the window or the preload',
    allow: [NODE, 'scripts/**', 'src/main/**', SHARED, 'tsx', '@doyensec/electronegativity'],
  },
];

// Test code beside the code it tests: run by Vitest in Node, never built into the app. It may
// also use Vitest, Node (a renderer test reads the CSS files) and the helpers and recordings of
// test/ (the agents' parser tests replay test/agents/recorded); production code never imports it.
const TEST_CODE = ['src/**/*.test.ts', 'src/**/*.test.tsx', 'src/**/testing/**'];
const TEST_ALLOW = ['vitest', NODE, 'test/**'];
const EXTENSION = /\.(?:[cm]?[jt]sx?)$/;

const glob = (path, patterns) => patterns.some((p) => minimatch(path, p, { dot: true }));
const packageOf = (spec) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
const label = (entry) => (entry === NODE ? 'Node built-ins' : typeof entry === 'string' ? entry : `${entry.from} {${entry.names.join(', ')}}`);

/** Does `entry` allow importing `spec` (resolved to `target` when relative) with these names? */
function allows(entry, { spec, target, names }) {
  if (entry === NODE) return isBuiltin(spec);
  if (typeof entry !== 'string') return spec === entry.from && names !== null && names.length > 0 && names.every((n) => entry.names.includes(n));
  if (entry.startsWith('./')) return !spec.slice(2).includes('/') && minimatch(spec.replace(EXTENSION, ''), entry);
  if (/^(?:src|scripts|test)\//.test(entry)) {
    const path = target?.replace(EXTENSION, '');
    return path !== undefined && (minimatch(path, entry) || minimatch(`${path}/index`, entry)); // `../shared` is its index
  }
  return target === null && !isBuiltin(spec) && packageOf(spec) === entry;
}

const layersRule = {
  meta: {
    type: 'problem',
    schema: [],
    messages: {
      layer: "Layer {{layer}} may not import '{{spec}}' ({{layer}}: {{why}}). It may import: {{allowed}}. See docs/architecture.md.",
      noLayer: '{{file}} belongs to no layer: add its folder to LAYERS in eslint.config.js (docs/architecture.md).',
      testCode: "Production code may not import test code ('{{spec}}'): *.test.ts and testing/ are for tests only.",
      worker: "A worker file is started as a worker (`new Worker(url)`, or electron-vite's `?nodeWorker`), never imported ('{{spec}}').",
      runtimePath: "src/ never reads scripts/ or test/ at run time: '{{spec}}' is {{target}} (ship the data with the code, or move this file to test/).",
    },
  },
  create(context) {
    const file = relative(context.cwd, context.filename).split(sep).join('/');
    const layer = LAYERS.find((l) => glob(file, l.files));
    const inSrc = file.startsWith('src/');
    if (!layer) {
      if (inSrc) return { Program: (node) => context.report({ node, messageId: 'noLayer', data: { file } }) };
      return {};
    }
    const isTest = glob(file, TEST_CODE);
    const allow = isTest ? [...new Set([...layer.allow, ...TEST_ALLOW])] : layer.allow;
    const toRepo = (spec) => relative(context.cwd, resolve(dirname(context.filename), spec)).split(sep).join('/');

    function check(node, written, typeOnly, names = null) {
      const spec = written.replace(/\?.*$/, ''); // Vite's ?raw / ?url / ?nodeWorker suffixes
      const target = spec.startsWith('.') ? toRepo(spec) : null;
      if (!isTest && target !== null && glob(target.replace(EXTENSION, ''), TEST_CODE.map((g) => g.replace(/\.tsx?$/, '')))) {
        return context.report({ node, messageId: 'testCode', data: { spec } });
      }
      // electron-vite's `?nodeWorker` / `?modulePath` give a constructor or a path; they do not run it.
      if (!isTest && /\.worker(?:\.[cm]?[jt]s)?$/.test(spec) && !/\?(?:nodeWorker|modulePath)$/.test(written)) {
        return context.report({ node, messageId: 'worker', data: { spec } });
      }
      const candidates = typeOnly ? [...allow, ...(layer.types ?? [])] : allow;
      if (candidates.some((entry) => allows(entry, { spec, target, names }))) return;
      context.report({ node, messageId: 'layer', data: { layer: layer.name, spec, why: layer.why, allowed: [allow.map(label).join(', '), ...(layer.types ? [`types also from ${layer.types.map(label).join(', ')}`] : [])].join('; ') } });
    }
    const literal = (node) => (node?.type === 'Literal' && typeof node.value === 'string' ? node.value : null);
    const isMetaUrl = (node) => node?.type === 'MemberExpression' && node.object.type === 'MetaProperty' && node.property.name === 'url';

    return {
      ImportDeclaration(node) {
        const typeOnly = node.importKind === 'type' || (node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type'));
        const named = node.specifiers.every((s) => s.type === 'ImportSpecifier');
        check(node, node.source.value, typeOnly, named ? node.specifiers.map((s) => s.imported.name ?? s.imported.value) : null);
      },
      ExportNamedDeclaration(node) {
        if (!node.source) return;
        check(node, node.source.value, node.exportKind === 'type' || (node.specifiers.length > 0 && node.specifiers.every((s) => s.exportKind === 'type')));
      },
      ExportAllDeclaration: (node) => check(node, node.source.value, node.exportKind === 'type'),
      ImportExpression(node) {
        const spec = literal(node.source);
        if (spec !== null) check(node, spec, false);
      },
      TSImportType: (node) => check(node, node.source.value, true),
      TSExternalModuleReference(node) {
        const spec = literal(node.expression);
        if (spec !== null) check(node, spec, node.parent.importKind === 'type');
      },
      CallExpression(node) {
        const spec = literal(node.arguments[0]);
        if (spec === null) return;
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') return check(node, spec, false);
        // import.meta.resolve('./x'): a path read at run time.
        if (node.callee.type === 'MemberExpression' && node.callee.object.type === 'MetaProperty' && node.callee.property.name === 'resolve') runtimePath(node, spec);
      },
      // new URL('../x', import.meta.url): a path read at run time.
      NewExpression(node) {
        const spec = literal(node.arguments[0]);
        if (node.callee.type === 'Identifier' && node.callee.name === 'URL' && spec !== null && isMetaUrl(node.arguments[1])) runtimePath(node, spec);
      },
    };
    function runtimePath(node, spec) {
      if (!inSrc || isTest || !spec.startsWith('.')) return;
      const target = toRepo(spec);
      if (/^(?:test|scripts)(?:\/|$)/.test(target)) context.report({ node, messageId: 'runtimePath', data: { spec, target } });
    }
  },
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: "Property[key.name='shell'][value.value=true]", message: 'No shell strings: spawn with argv arrays.' },
        { selector: "CallExpression[callee.name='execSync']", message: 'No blocking exec: spawn with argv arrays.' },
      ],
    },
  },
  {
    files: ['src/**', 'scripts/**'],
    plugins: { switchyard: { rules: { layers: layersRule } } },
    rules: { 'switchyard/layers': 'error' },
  },
  {
    files: ['src/renderer/**/*.ts', 'src/renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
