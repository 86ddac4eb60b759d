// Lint rules, including the dependency directions of DESIGN.md §4:
// renderer -> shared; preload -> shared; transport -> core -> shared.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const noNode = nodeBuiltins.map((name) => ({ name, message: 'No Node built-ins here (DESIGN §4).' }));
const noElectron = [{ name: 'electron', message: 'core and shared are plain Node (DESIGN §4).' }];
const noSqlite = [{ name: 'better-sqlite3', message: 'The database lives in src/main/core only.' }];
const pattern = (group, message) => ({ group, message });

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
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...noNode, ...noElectron, ...noSqlite],
        patterns: [pattern(['**/main/**', '**/renderer/**', '**/preload/**'], 'shared depends on nothing of the app.')],
      }],
    },
  },
  {
    files: ['src/main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: noElectron,
        patterns: [pattern(['**/transport/**', '**/renderer/**', '**/preload/**', '../index', '../window*', '../tray*'], 'core depends only on shared.')],
      }],
    },
  },
  {
    files: ['src/main/transport/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [pattern(['**/renderer/**', '**/preload/**'], 'transport depends on core and shared.')],
      }],
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...noNode, ...noSqlite],
        patterns: [pattern(['**/main/**', '**/renderer/**'], 'preload depends on shared only.')],
      }],
    },
  },
  {
    files: ['src/renderer/**/*.ts', 'src/renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...noNode, ...noElectron, ...noSqlite],
        patterns: [pattern(['**/main/**', '**/preload/**'], 'renderer depends on shared only.')],
      }],
    },
  },
);
