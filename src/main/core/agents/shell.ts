// No CLI at all: the repository's own scripts, as plain `text` stages. A review script can choose
// its exit code, so it exits 3 to request changes instead of writing a marker line.
import type { AgentAdapter } from './types';

export const shell: AgentAdapter = {
  id: 'shell',
  label: 'shell scripts',
  presets: {
    shell: {
      description:
        "The repository's own executables .switchyard/plan.sh, implement.sh and review.sh (SWITCHYARD_* variables; review exits 3 to request changes)",
      stages: [
        { name: 'plan', agent: 'architect', run: ['./.switchyard/plan.sh', '{prompt}'], captureAs: 'plan' },
        { name: 'approve', approval: true },
        { name: 'implement', agent: 'developer', run: ['./.switchyard/implement.sh', '{prompt}'] },
        { name: 'review', agent: 'reviewer', run: ['./.switchyard/review.sh', '{prompt}'], review: { onChangesRequested: 'implement', maxRevisions: 2 } },
      ],
    },
  },
};
