import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

// The page's CSP (src/renderer/index.html) allows no inline style; Vite's dev server injects CSS
// as <style> elements, so only the page it serves allows them (as the desktop shell's header does
// in development, src/main/shell/security.ts). The built page keeps the strict policy.
const devServerInlineStyles: Plugin = {
  name: 'switchyard-csp-dev-inline-styles',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace("style-src 'self';", "style-src 'self' 'unsafe-inline';"),
};

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      rollupOptions: {
        // Each worker thread's entry is bundled on its own, as out/main/<name>.js beside the
        // bundle that starts it (src/main/core/process/workerEntry.ts finds it there).
        input: {
          index: resolve('src/main/index.ts'),
          'processRunner.worker': resolve('src/main/core/process/processRunner.worker.ts'),
          'checkpoint.worker': resolve('src/main/core/store/checkpoint.worker.ts'),
        },
      },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
    build: {
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        // Sandboxed preloads cannot be ES modules.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    plugins: [react(), devServerInlineStyles],
    build: { rollupOptions: { input: { index: resolve('src/renderer/index.html') } } },
  },
});
