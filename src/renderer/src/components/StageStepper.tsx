import { useShallow } from 'zustand/react/shallow';
import { stepsOf, type StepState } from '../lib/format';
import { useWorkflows } from '../state/hooks';

const STATE_WORD: Record<StepState, string> = {
  done: 'done',
  current: 'running',
  waiting: 'waiting for approval',
  failed: 'stopped here',
  todo: 'not started',
};

export function StageStepper({ workflowId }: { workflowId: string }) {
  const steps = useWorkflows(
    useShallow((s) => {
      const w = s.byId[workflowId];
      return w ? stepsOf(w).map((st) => `${st.name}\t${st.kind}\t${st.agent ?? ''}\t${st.state}`) : [];
    }),
  );
  return (
    <ol className="stepper" aria-label="Stages">
      {steps.map((line) => {
        const [name, kind, agent, state] = line.split('\t') as [string, string, string, StepState];
        return (
          <li key={name} className={`step step-${state}`} aria-current={state === 'current' || state === 'waiting' ? 'step' : undefined}>
            <span className="step-mark" aria-hidden="true">{state === 'done' ? '✓' : state === 'failed' ? '✕' : kind === 'approval' ? '◆' : '●'}</span>
            <span className="step-name">{name}</span>
            <span className="sr-only">: {STATE_WORD[state]}</span>
            {agent && <span className="step-agent" aria-hidden="true">{agent}</span>}
          </li>
        );
      })}
    </ol>
  );
}
