// Aider (`aider --message`): plain text output, so a preset only; its stages are `text`.
import { agentPipeline, IMPLEMENT_PROMPT, PLAN_PROMPT, REVIEW_PROMPT } from './presets';
import type { AgentAdapter } from './types';

const QUIET = ['--yes-always', '--no-pretty', '--no-stream'];

export const aider: AgentAdapter = {
  id: 'aider',
  label: 'Aider',
  presets: {
    aider: agentPipeline('Aider (`aider --message`): plan and review in ask mode, implement without auto-commits', {
      plan: ['aider', '--chat-mode', 'ask', ...QUIET, '--message', PLAN_PROMPT],
      implement: ['aider', ...QUIET, '--no-auto-commits', '--message', IMPLEMENT_PROMPT],
      review: ['aider', '--chat-mode', 'ask', ...QUIET, '--message', REVIEW_PROMPT],
    }),
  },
};
