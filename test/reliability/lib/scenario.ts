// How a scenario reports: `ctx.check(what, problems)` records one invariant (an empty list of
// problems, or true, means it held); `ctx.figure` records a number for the summary and the docs.
export interface Ctx {
  long: boolean;
  log(message: string): void;
  /**
   * Records a check; returns whether it held. `result`: true/false, or a list of problems (empty
   * = held). `detail` is printed when it failed (boolean form), `note` when it held.
   */
  check(what: string, result: boolean | readonly string[], detail?: string, note?: string): boolean;
  figure(name: string, value: string | number): void;
  /**
   * A check that is known to fail because of a reported bug (strict: when it starts to hold, it
   * fails, so that it is turned into a plain check and cannot rot). `bug` says what and where.
   */
  known(what: string, holds: boolean, bug: string, detail?: string): void;
}

export interface Scenario {
  name: string;
  /** One sentence: what it does. */
  summary: string;
  run(ctx: Ctx): Promise<void>;
}

export interface Outcome {
  name: string;
  passed: boolean;
  checks: number;
  failed: string[];
  /** Known failures (reported bugs), still failing as expected. */
  known: string[];
  figures: Record<string, string | number>;
  error: string | null;
  ms: number;
}

export function makeCtx(name: string, long: boolean): { ctx: Ctx; outcome: Outcome } {
  const outcome: Outcome = { name, passed: false, checks: 0, failed: [], known: [], figures: {}, error: null, ms: 0 };
  const ctx: Ctx = {
    long,
    log: (m) => console.log(`  [${name}] ${m}`),
    check(what, result, detail, note) {
      outcome.checks++;
      const problems = typeof result === 'boolean' ? (result ? [] : [detail || 'did not hold']) : result;
      if (problems.length === 0) {
        console.log(`  [${name}]   ok    ${what}${note ? ` (${note})` : ''}`);
        return true;
      }
      outcome.failed.push(what);
      console.log(`  [${name}]   FAIL  ${what}`);
      for (const p of problems.slice(0, 10)) console.log(`  [${name}]           - ${p}`);
      if (problems.length > 10) console.log(`  [${name}]           … and ${problems.length - 10} more`);
      return false;
    },
    known(what, holds, bug, detail) {
      outcome.checks++;
      if (holds) {
        outcome.failed.push(`${what} (known bug now fixed: make it a plain check)`);
        console.log(`  [${name}]   FAIL  ${what}: it holds now, but was a known bug (${bug}); turn it into a plain check`);
        return;
      }
      outcome.known.push(what);
      console.log(`  [${name}]   KNOWN ${what}${detail ? ` (${detail})` : ''}`);
      console.log(`  [${name}]           - known bug: ${bug}`);
    },
    figure(k, v) {
      outcome.figures[k] = v;
      console.log(`  [${name}]   figure ${k}: ${v}`);
    },
  };
  return { ctx, outcome };
}
