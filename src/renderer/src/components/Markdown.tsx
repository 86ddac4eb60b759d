// The one renderer of agent-written markdown (event stream messages, the plan). react-markdown
// with GFM; raw HTML is shown as text, never injected (no rehype-raw). Links never navigate the
// window: http(s) ones open outside it (a new tab in a browser; the desktop shell hands them to
// the system browser), anything else is plain text. Images are never fetched: their alt text shows.
import render, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { memo, type ReactElement } from 'react';
import { safeLink } from '../lib/agentEvents';

type Level = 1 | 2 | 3 | 4 | 5 | 6;

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'] as const;

function components(headingBase: Level | null): Components {
  const heading = (depth: number): NonNullable<Components['h1']> =>
    function Heading({ children }) {
      // In the stream a message's "# Title" must not enter the page's outline: a styled paragraph.
      if (headingBase === null) return <p className={`md-h md-h${depth}`}>{children}</p>;
      const Tag = HEADINGS[Math.min(5, headingBase - 1 + depth - 1)]!;
      return <Tag className={`md-h md-h${depth}`}>{children}</Tag>;
    };
  return {
    a({ href, children }) {
      const url = safeLink(href);
      if (!url) return <span className="md-link-off">{children}</span>;
      return (
        <a href={url} target="_blank" rel="noopener noreferrer" title={url}>
          {children}
        </a>
      );
    },
    img({ alt }) {
      return <span className="md-img">[image{alt ? `: ${alt}` : ''}]</span>;
    },
    h1: heading(1),
    h2: heading(2),
    h3: heading(3),
    h4: heading(4),
    h5: heading(5),
    h6: heading(6),
  };
}

const COMPONENTS = new Map<Level | null, Components>();
const componentsFor = (base: Level | null) => {
  let c = COMPONENTS.get(base);
  if (!c) COMPONENTS.set(base, (c = components(base)));
  return c;
};

// Rendered trees of recent texts: scrolling a long stream back and forth mounts the same rows
// again, and parsing is the costly part of a message row.
const CACHE_SIZE = 300;
const cache = new Map<string, ReactElement>();

// GFM (tables, task lists, strikethrough, autolinks, footnotes) doubles the parse time of a
// message; a text with none of its markers renders the same without it.
const GFM_MARKERS = /[|~@]|\[[ xX]\]|\[\^|https?:\/\/|www\./i;
export const mayUseGfm = (text: string): boolean => GFM_MARKERS.test(text);

export function renderMarkdown(text: string, headingBase: Level | null = null): ReactElement {
  const key = `${headingBase ?? 0}\u0000${text}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const tree = render({ children: text, remarkPlugins: mayUseGfm(text) ? [remarkGfm] : [], components: componentsFor(headingBase) });
  cache.set(key, tree);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return tree;
}

/**
 * Markdown as React elements inside `<div className="md …">`. `headingBase`: the heading level a
 * `#` becomes (the plan under its h2 uses 3); null renders headings as styled paragraphs.
 */
export const Markdown = memo(function Markdown({ text, className, headingBase = null }: { text: string; className?: string; headingBase?: Level | null }) {
  return <div className={className ? `md ${className}` : 'md'}>{renderMarkdown(text, headingBase)}</div>;
});
