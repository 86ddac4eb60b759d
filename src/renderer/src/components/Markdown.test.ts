import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import render from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { Markdown, mayUseGfm } from './Markdown';

const html = (text: string, headingBase: 3 | null = null) => renderToStaticMarkup(createElement(Markdown, { text, headingBase }));

describe('Markdown', () => {
  it('renders paragraphs, lists, code blocks and GFM tables', () => {
    const out = html('Plan:\n\n1. read\n2. write\n\n- [x] done\n\n```ts\nconst a = 1;\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |');
    expect(out).toContain('<p>Plan:</p>');
    expect(out).toContain('<ol>');
    expect(out).toContain('<li>read</li>');
    expect(out).toContain('type="checkbox"');
    expect(out).toContain('<pre><code class="language-ts">const a = 1;\n</code></pre>');
    expect(out).toContain('<table>');
  });
  it('shows raw HTML as text and never as elements', () => {
    const out = html('Hi <img src=x onerror="alert(1)"> and <script>alert(2)</script>\n\n<iframe src="https://evil.example"></iframe>');
    expect(out).not.toMatch(/<img|<script|<iframe/i);
    expect(out).toContain('&lt;script&gt;');
    expect(out).toContain('&lt;iframe');
  });
  it('lets http(s) links open outside the window and turns other links into text', () => {
    const out = html('[docs](https://example.com/x) [bad](javascript:alert(1)) [file](file:///etc/passwd) [rel](/settings)');
    expect(out).toContain('<a href="https://example.com/x" target="_blank" rel="noopener noreferrer"');
    expect(out.match(/<a /g)).toHaveLength(1);
    expect(out).not.toContain('javascript:');
    expect(out).toContain('<span class="md-link-off">bad</span>');
  });
  it('never fetches an image: its alt text stands in', () => {
    const out = html('![diagram](https://tracker.example/pixel.png)');
    expect(out).not.toContain('<img');
    expect(out).toContain('[image: diagram]');
  });
  it('keeps headings out of the page outline in the stream, and nests them under the plan heading', () => {
    expect(html('# Title\n\n## Sub')).toBe('<div class="md"><p class="md-h md-h1">Title</p>\n<p class="md-h md-h2">Sub</p></div>');
    expect(html('# Title\n\n#### Deep\n\n###### Deepest', 3)).toContain('<h3 class="md-h md-h1">Title</h3>');
    expect(html('#### Deep\n\n###### Deepest', 3)).toMatch(/<h6 class="md-h md-h4">Deep<\/h6>\n<h6 class="md-h md-h6">Deepest<\/h6>/);
  });
  it('skips GFM only for texts it cannot change', () => {
    const same = ['plain *text* with `code`', '# T\n\n1. a\n2. b\n\n```js\nx()\n```', 'a_b_c **bold** > quote'];
    const gfm = ['| a |\n|---|\n| 1 |', '- [x] done', '~~gone~~', 'see https://example.com', 'www.example.com', 'mail me@example.com', 'note[^1]\n\n[^1]: x'];
    const plainHtml = (t: string) => renderToStaticMarkup(render({ children: t }));
    const gfmHtml = (t: string) => renderToStaticMarkup(render({ children: t, remarkPlugins: [remarkGfm] }));
    for (const t of same) {
      expect(mayUseGfm(t)).toBe(false);
      expect(plainHtml(t)).toBe(gfmHtml(t));
    }
    for (const t of gfm) {
      expect(mayUseGfm(t)).toBe(true);
      expect(plainHtml(t)).not.toBe(gfmHtml(t)); // each marker does change the output
    }
  });
});
