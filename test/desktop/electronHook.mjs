// Module-resolution hook (module.register) for the desktop-shell wiring test: a bundle imported as
// `out/main/index.js?standIn=<id>` gets, for `import … from "electron"`, the stand-in instance
// `<id>` (test/desktop/electronStandIn.ts) instead of the npm package (which, without its binary,
// only knows the path to a missing executable). Everything else resolves as usual.
const SCHEME = 'switchyard-stand-in:';
let exportNames = [];

export function initialize(data) {
  exportNames = data.exportNames;
}

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron' || specifier === 'electron/main') {
    const parent = context.parentURL ? new URL(context.parentURL) : null;
    const id = parent?.searchParams.get('standIn');
    if (id) return { url: `${SCHEME}electron?${encodeURIComponent(id)}`, format: 'module', shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith(SCHEME)) return nextLoad(url, context);
  const id = decodeURIComponent(url.slice(url.indexOf('?') + 1));
  // The instance lives on the main thread; this module only reads it from there.
  const source = [
    `const m = globalThis[Symbol.for('switchyard.electronStandIns')]?.get(${JSON.stringify(id)});`,
    `if (!m) throw new Error(${JSON.stringify(`no Electron stand-in registered as ${id}`)});`,
    `export const { ${exportNames.join(', ')} } = m;`,
  ].join('\n');
  return { format: 'module', source, shortCircuit: true };
}
