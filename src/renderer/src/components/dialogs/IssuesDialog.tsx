import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Issue } from '../../../../shared/github';
import { errorText } from '../../state/commands';
import { useApp, useRepos } from '../../state/hooks';
import { ErrorText, Modal } from './Modal';
import { useListChoice } from './useListChoice';

const SEARCH_DELAY_MS = 250;

/**
 * The repository's open GitHub issues, searchable (the `I` key and the palette). Picking one
 * creates its worktree on `issue-N-title` and starts the default pipeline (docs/github.md).
 */
export function IssuesDialog({ initialRepo, onClose }: { initialRepo: string | null; onClose: () => void }) {
  const app = useApp();
  const repos = useRepos(useShallow((s) => s.repos.map((r) => `${r.id}\t${r.name}`)));
  const [repoId, setRepoId] = useState(initialRepo ?? repos[0]?.split('\t')[0] ?? '');
  const [query, setQuery] = useState('');
  const [issues, setIssues] = useState<Issue[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!repoId) return;
    let stale = false;
    const t = setTimeout(() => {
      app.client.call('tracker.issues', query.trim() ? { repoId, search: query.trim() } : { repoId }).then(
        (list) => {
          if (stale) return;
          setIssues(list);
          setError(null);
          setIndex(0);
        },
        (e) => {
          if (stale) return;
          setIssues([]);
          setError(errorText(e));
        },
      );
    }, query ? SEARCH_DELAY_MS : 0);
    return () => {
      stale = true;
      clearTimeout(t);
    };
  }, [app, repoId, query]);

  const list = issues ?? [];
  const pick = async (i: number) => {
    const issue = list[i];
    if (!issue || busy) return;
    setBusy(true);
    setError(null);
    try {
      await app.commands.startFromIssue(repoId, issue.number);
      onClose();
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  const { current, setIndex, onKeyDown, onOptionMouseMove } = useListChoice(list.length, (i) => void pick(i));

  return (
    <Modal title="Start from a GitHub issue" onClose={onClose} className="palette issues">
      {repos.length > 1 && (
        <select aria-label="Repository" value={repoId} onChange={(e) => setRepoId(e.target.value)}>
          {repos.map((line) => {
            const [id, name] = line.split('\t') as [string, string];
            return <option key={id} value={id}>{name}</option>;
          })}
        </select>
      )}
      <input
        data-autofocus=""
        type="text"
        role="combobox"
        aria-expanded="true"
        aria-controls="issue-list"
        aria-activedescendant={list[current] ? `issue-${list[current].number}` : undefined}
        aria-label="Search issues"
        placeholder="Search open issues by words or #number…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <ErrorText error={error} />
      <ul id="issue-list" role="listbox" aria-label="Open issues" aria-busy={issues === null || busy}>
        {list.map((issue, i) => (
          <li
            key={issue.number}
            id={`issue-${issue.number}`}
            role="option"
            aria-selected={i === current}
            className={i === current ? 'active' : ''}
            title="Create a worktree for this issue and start its workflow (Enter)"
            onMouseMove={onOptionMouseMove(i)}
            onClick={() => void pick(i)}
          >
            <span>
              <span className="issue">#{issue.number}</span> {issue.title}
            </span>
            <span className="keyhint">{issue.labels.slice(0, 2).map((l) => <span key={l} className="tag">{l}</span>)}</span>
          </li>
        ))}
        {issues === null && !error && <li className="muted">Loading the open issues…</li>}
        {issues !== null && list.length === 0 && !error && <li className="muted">No open issue matches.</li>}
      </ul>
      {busy && <p className="muted small" role="status">Creating the worktree and starting the workflow…</p>}
    </Modal>
  );
}
