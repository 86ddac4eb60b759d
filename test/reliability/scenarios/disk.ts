import type { Scenario } from '../lib/scenario';
export const disk: Scenario = { name: 'disk', summary: 'todo', async run() { throw new Error('not written yet'); } };
