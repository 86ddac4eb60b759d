import type { Scenario } from '../lib/scenario';
export const agents: Scenario = { name: 'agents', summary: 'todo', async run() { throw new Error('not written yet'); } };
