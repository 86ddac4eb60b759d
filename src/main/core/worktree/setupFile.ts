// Reads `.switchyard/setup.json` (rule 13): the steps run once in a new worktree and the
// repository's `run` command (its dev server). Versioned with the code like pipelines.json, and
// validated the same way: one INVALID_INPUT naming the file, line, column and what is wrong.
import { join } from 'node:path';
import { z } from 'zod';
import { CommandStageSchema } from '../../../shared/pipeline';
import { parseConfigText, readConfigBytes } from '../pipeline/pipelinesFile';

export const SETUP_FILE = join('.switchyard', 'setup.json');
const MAX_FILE_BYTES = 256 * 1024;

/** A step is a command stage's program part: a name, an argv (no shell) and an optional timeout. */
const StepSchema = CommandStageSchema.pick({ name: true, run: true, timeoutSeconds: true });

export const SetupFileSchema = z
  .strictObject({
    version: z.literal(1, { error: 'version must be 1' }),
    steps: z.array(StepSchema).max(50).optional(),
    /** The dev server: started and stopped from the window, in the worktree, with its ports. */
    run: CommandStageSchema.shape.run.optional(),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    (file.steps ?? []).forEach((s, i) => {
      if (seen.has(s.name)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'name'], message: `step name "${s.name}" is used twice` });
      seen.add(s.name);
    });
  });
export type SetupFile = z.output<typeof SetupFileSchema>;
export type SetupStep = NonNullable<SetupFile['steps']>[number];

/** The worktree's setup file, or null when it has none. Throws INVALID_INPUT with line and column. */
export async function readSetupFile(worktreePath: string): Promise<SetupFile | null> {
  const file = join(worktreePath, SETUP_FILE);
  const bytes = await readConfigBytes(file, 'a setup file', MAX_FILE_BYTES);
  if (bytes === null) return null;
  return parseConfigText(bytes.toString('utf8'), file, SetupFileSchema, 'invalid setup file');
}
