// Switchyard needs Node.js 22.12 or newer (better-sqlite3 13 crashes older ones with a segfault).
// `npm install` puts a pinned Node 24 in node_modules/.bin, which every npm script runs on; this
// check is for a script started by hand with an older `node`, or an install without devDependencies.
// Plain JavaScript that any Node can parse, imported before anything that needs a newer one.
export const MINIMUM = [22, 12];

/** Why this Node cannot run Switchyard, or null when it can. */
export function nodeVersionProblem(version) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  if (major > MINIMUM[0] || (major === MINIMUM[0] && minor >= MINIMUM[1])) return null;
  return (
    `Switchyard needs Node.js ${MINIMUM.join('.')} or newer (24 LTS recommended); this is Node ${version}. ` +
    'Run it through npm (`npm start`, `npm run serve`, `npm test`), which uses the Node 24 that `npm install` ' +
    'put in node_modules/.bin, or install Node 24.'
  );
}

export function exitOnOldNode() {
  const problem = nodeVersionProblem(process.version);
  if (problem) {
    process.stderr.write(`switchyard: ${problem}\n`);
    process.exit(1);
  }
}
