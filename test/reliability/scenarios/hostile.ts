import type { Scenario } from '../lib/scenario';
export const hostile: Scenario = { name: 'hostile', summary: 'todo', async run() { throw new Error('not written yet'); } };
