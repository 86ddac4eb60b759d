// The scripted "model" behind both API stand-ins: what the assistant answers at each turn of a
// built-in pipeline (plan, implement, review), decided from the prompt Switchyard gave the CLI
// and from whether the CLI already ran the tool. Not a model: a fixed script a test can steer.

/** One assistant turn: text, then optionally one tool call (which ends the turn). */
export interface Turn {
  text: string;
  /** Write a file through the CLI's own tool (Claude: Write; Codex: a shell command). */
  writeFile?: { path: string; content: string };
  /** Hold the start of this answer this long (lets a test watch the stage while it runs). */
  holdMs?: number;
  /** Bash commands called in this turn, in parallel (Claude: one tool_use block each). */
  bash?: string[];
}

export interface ScriptOptions {
  /** How long the implement stage's last answer is held (its first run only). */
  holdFinalMs?: number;
  /** How long the plan answer is held (a test cancels meanwhile). */
  holdPlanMs?: number;
  /** Review rounds that answer CHANGES REQUESTED before APPROVED. */
  reviewRounds?: number;
  /** The file the implement stage writes. */
  file?: { path: string; content: string };
  /** The implement stage runs these Bash commands (in parallel) instead of writing the file. */
  implementBash?: string[];
}

export const PLAN_TEXT = '1. Create hello.txt with a greeting.\n2. Check that it exists.';
export const DEFAULT_FILE = { path: 'hello.txt', content: 'hello from the agent\n' };

/**
 * The stateful script of one test: `turn(prompt, afterTool)` answers a request whose latest user
 * text is `prompt` (the stage's prompt, or a tool result when `afterTool`).
 */
export class AgentScript {
  private reviews = 0;
  private implemented = 0;
  readonly seen: { stage: string; afterTool: boolean }[] = [];

  constructor(private readonly o: ScriptOptions = {}) {}

  turn(prompt: string, afterTool: boolean): Turn {
    const stage = stageOf(prompt);
    this.seen.push({ stage, afterTool });
    const file = this.o.file ?? DEFAULT_FILE;
    switch (stage) {
      case 'plan':
        return { text: PLAN_TEXT, holdMs: this.o.holdPlanMs ?? 0 };
      case 'implement':
        if (!afterTool && this.o.implementBash) return { text: 'I will run the commands.', bash: this.o.implementBash };
        if (!afterTool) return { text: `I will write ${file.path}.`, writeFile: file };
        this.implemented += 1;
        return { text: `Wrote ${file.path}.`, holdMs: this.implemented === 1 ? (this.o.holdFinalMs ?? 0) : 0 };
      case 'review':
        this.reviews += 1;
        if (this.reviews <= (this.o.reviewRounds ?? 1)) return { text: `Looked at the diff.\nCHANGES REQUESTED: add a second line to ${file.path}` };
        return { text: 'The change is complete.\nAPPROVED' };
      default:
        return { text: 'OK' };
    }
  }
}

/** Which built-in stage a prompt belongs to (the presets' prompt openings). */
export function stageOf(prompt: string): 'plan' | 'implement' | 'review' | 'other' {
  // The last stage named wins: a resumed session carries the earlier stages' prompts too.
  const marks: [number, 'plan' | 'implement' | 'review'][] = [
    [prompt.lastIndexOf('You are planning a change'), 'plan'],
    [prompt.lastIndexOf('Implement the following plan'), 'implement'],
    [prompt.lastIndexOf('Review the uncommitted changes'), 'review'],
  ];
  const best = marks.filter(([i]) => i >= 0).sort((a, b) => b[0] - a[0])[0];
  return best ? best[1] : 'other';
}
