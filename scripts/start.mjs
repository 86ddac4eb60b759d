// `npm start`: build, then run the Electron app (see README: "Two builds of better-sqlite3").
import { spawnSync } from 'node:child_process';

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'preview']);
