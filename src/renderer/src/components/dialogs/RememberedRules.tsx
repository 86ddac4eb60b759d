// Rule 11 in the settings screen: the tool rules remembered per repository ("Allow always for this
// repository"), each of which can be forgotten.
import { useEffect, useState } from 'react';
import type { RememberedRule } from '../../../../shared/permissions';
import { errorText } from '../../state/commands';
import { useApp, useRepos } from '../../state/hooks';
import { ErrorText } from './Modal';

export function RememberedRules() {
  const app = useApp();
  const repos = useRepos((s) => s.repos);
  const [rules, setRules] = useState<Record<string, RememberedRule[]>>({});
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stale = false;
    void Promise.all(repos.map(async (r) => [r.id, await app.client.call('permissions.rules', { repoId: r.id })] as const))
      .then((pairs) => !stale && setRules(Object.fromEntries(pairs)))
      .catch((e: unknown) => !stale && setError(errorText(e)));
    return () => {
      stale = true;
    };
  }, [app, repos]);

  const forget = (repoId: string, rule: string) =>
    void app.client
      .call('permissions.forget', { repoId, rule })
      .then((left) => setRules((s) => ({ ...s, [repoId]: left })))
      .catch((e: unknown) => setError(errorText(e)));

  const withRules = repos.filter((r) => (rules[r.id]?.length ?? 0) > 0);
  return (
    <section className="remembered-rules" aria-label="Remembered tool rules">
      <h2>Remembered tool rules</h2>
      <p className="muted small">Tool requests these rules allow pass without asking, in every worktree of the repository (docs/permissions.md).</p>
      {withRules.length === 0 && <p className="muted">None yet: “Allow always for this repository” on a tool request adds one.</p>}
      {withRules.map((r) => (
        <div key={r.id}>
          <h3>{r.name}</h3>
          <ul>
            {rules[r.id]!.map((x) => (
              <li key={x.rule}>
                <code>{x.rule}</code>
                <button type="button" className="small" aria-label={`Forget ${x.rule} for ${r.name}`} title={`Forget ${x.rule}: ask again next time`} onClick={() => forget(r.id, x.rule)}>
                  Forget
                </button>
              </li>
            ))}
          </ul>
        </div>
      ))}
      <ErrorText error={error} />
    </section>
  );
}
