// Tool approvals (docs/design.md rule 11, docs/permissions.md): the rule syntax (Claude Code's own:
// `Bash(npm test:*)`, `WebFetch(domain:example.com)`, `Edit`), a stage's `permissions` option and
// the pending requests a workflow shows.
import { z } from 'zod';

/**
 * `Tool` or `Tool(specifier)`; the tool name as the CLI names it (`Bash`, `mcp__srv__tool`). As in
 * Claude Code, the specifier runs from the first `(` to the last `)`, so it may hold parentheses.
 */
export const PERMISSION_RULE_RE = /^[A-Za-z][A-Za-z0-9_-]{0,99}(\(.{1,1000}\))?$/;
export const PermissionRuleSchema = z
  .string()
  .max(1200)
  .regex(PERMISSION_RULE_RE, 'must be Tool or Tool(specifier), as in Bash(npm test:*), WebFetch(domain:example.com) or Edit');

/** A stage's `permissions`: who answers what its rules leave open, and its own rules (deny wins). */
export const StagePermissionsSchema = z.strictObject({
  /** `human`: unmatched requests wait for the person; `deny`: they are denied at once. */
  ask: z.enum(['human', 'deny']).default('human'),
  allow: z.array(PermissionRuleSchema).max(200).default([]),
  deny: z.array(PermissionRuleSchema).max(200).default([]),
});
export type StagePermissions = z.infer<typeof StagePermissionsSchema>;

/** A request waiting for the person (`Workflow.pendingPermissions`), oldest first. */
export const PendingPermissionSchema = z.object({
  requestId: z.string(),
  stage: z.string(),
  tool: z.string(),
  /** One line a person reads: the command, the path, the URL. */
  summary: z.string(),
  input: z.unknown(),
  requestedAt: z.string(),
});
export type PendingPermission = z.infer<typeof PendingPermissionSchema>;

export const PERMISSION_MESSAGE_MAX = 2000;

/** A remembered rule of a repository (`permissions.rules`). */
export const RememberedRuleSchema = z.object({ rule: z.string(), createdAt: z.string() });
export type RememberedRule = z.infer<typeof RememberedRuleSchema>;
