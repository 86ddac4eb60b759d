// What a stage's program is given: argv templates filled inside single elements, and the same
// values as SWITCHYARD_* environment variables. Nothing here ever builds a command string.
import type { Workflow } from '../../../shared/domain';
import { WORKFLOW_MARKER_ENV } from '../process/procScan';
import type { StageVars } from '../runner';
import { TOKEN_ENV } from '../github/token';

export const TEMPLATE_NAMES = ['issueId', 'title', 'description', 'prompt', 'worktree', 'plan', 'planFile', 'feedback'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];
export type TemplateValues = Record<TemplateName, string>;

/** The first of the worktree's ports (docs/worktrees.md). */
export const PORT_BASE_ENV = 'SWITCHYARD_PORT_BASE';

/** The variables of the server that an agent must never see. */
export const SECRET_ENV = ['SWITCHYARD_TOKEN', ...TOKEN_ENV, 'GH_ENTERPRISE_TOKEN', 'GITHUB_ENTERPRISE_TOKEN'] as const;

const ENV_NAMES: Record<TemplateName, string> = {
  issueId: 'SWITCHYARD_ISSUE_ID',
  title: 'SWITCHYARD_TITLE',
  description: 'SWITCHYARD_DESCRIPTION',
  prompt: 'SWITCHYARD_PROMPT',
  worktree: 'SWITCHYARD_WORKTREE',
  plan: 'SWITCHYARD_PLAN',
  planFile: 'SWITCHYARD_PLAN_FILE',
  feedback: 'SWITCHYARD_FEEDBACK',
};

/** argv and environment strings cannot hold NUL; everything else passes through literally. */
const clean = (s: string | null | undefined) => (s ?? '').replaceAll('\0', '');

/**
 * `{prompt}`: the issue as a task: id and title, the description, and — when the stage runs again
 * after a rejected plan or a review — the feedback it must address.
 */
export function buildPrompt(workflow: Pick<Workflow, 'issueId' | 'title' | 'description'>, feedback: string | null): string {
  const head = workflow.title ? `Issue ${workflow.issueId}: ${workflow.title}` : `Issue ${workflow.issueId}`;
  const parts = [head];
  if (workflow.description.trim()) parts.push(workflow.description.trim());
  if (feedback?.trim()) parts.push(`Feedback to address:\n${feedback.trim()}`);
  return parts.join('\n\n');
}

export function templateValues(workflow: Workflow, vars: StageVars): TemplateValues {
  return {
    issueId: clean(workflow.issueId),
    title: clean(workflow.title),
    description: clean(workflow.description),
    prompt: clean(buildPrompt(workflow, vars.feedback)),
    worktree: clean(workflow.worktreePath),
    plan: clean(vars.plan),
    planFile: clean(vars.planFile),
    feedback: clean(vars.feedback),
  };
}

const TEMPLATE = new RegExp(`\\{(${TEMPLATE_NAMES.join('|')})\\}`, 'g');

/** Fills `{name}` placeholders in one string, in one pass (a value is never scanned again). Unknown braces stay. */
export function fillTemplate(element: string, values: TemplateValues): string {
  return element.replace(TEMPLATE, (_m, name: TemplateName) => values[name]);
}

/** The argv to spawn: the program (run[0]) is taken as written; only the arguments are templates. */
export function buildArgv(run: readonly string[], values: TemplateValues): { program: string; args: string[] } {
  const [program, ...rest] = run;
  if (!program) throw new Error('a stage needs a program');
  return { program, args: rest.map((a) => fillTemplate(a, values)) };
}

/** The parent's environment without its secrets, plus the workflow marker and the SWITCHYARD_* values. */
export function buildEnv(base: NodeJS.ProcessEnv, workflowId: string, values: TemplateValues, portBase: number | null = null): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of SECRET_ENV) delete env[name];
  env[WORKFLOW_MARKER_ENV] = workflowId;
  for (const name of TEMPLATE_NAMES) env[ENV_NAMES[name]] = values[name];
  // Rule 13: the worktree's 10 ports are PORT_BASE..+9; never inherited from Switchyard's own environment.
  delete env[PORT_BASE_ENV];
  if (portBase !== null) env[PORT_BASE_ENV] = String(portBase);
  return env;
}
