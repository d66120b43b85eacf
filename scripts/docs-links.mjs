#!/usr/bin/env node
// Links between the docs (issue 19): every relative link in README.md and docs/*.md must reach a
// file that is there, and every `#anchor` a heading of its target (GitHub's slugs). Links to
// other sites are not followed. tests/cli/docs-links.test.mjs runs it on the repository and on a
// made-up page with dead links.
//   node scripts/docs-links.mjs [root]      prints each dead link; exits 1 if there is one
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Markdown files whose links are checked: README.md and docs/*.md, relative to root. */
export function docFiles(root) {
  const docs = existsSync(path.join(root, 'docs')) ? readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`) : [];
  return ['README.md', ...docs].filter((f) => existsSync(path.join(root, f)));
}

/** The lines outside fenced code blocks (``` or ~~~), with their 1-based numbers. */
function proseLines(markdown) {
  const out = [];
  let fence = null;
  markdown.split('\n').forEach((line, i) => {
    const m = line.match(/^ {0,3}(`{3,}|~{3,})/);
    if (m) {
      if (!fence) fence = m[1];
      else if (m[1][0] === fence[0] && m[1].length >= fence.length && line.trim() === m[1]) fence = null;
      return;
    }
    if (!fence) out.push({ line, number: i + 1 });
  });
  return out;
}

/** GitHub's anchor for a heading's text: lower-case, punctuation but `-` and `_` dropped, each space a hyphen. */
export function slug(text) {
  const plain = text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link or picture: its text
    .replace(/<[^>]+>/g, ''); // inline HTML
  return plain.toLowerCase().trim().replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
}

/** Every anchor a file offers: its headings' slugs (a repeated one gets -1, -2…) and HTML ids. */
export function anchors(markdown) {
  const found = new Set();
  const seen = new Map();
  for (const { line } of proseLines(markdown)) {
    const heading = line.match(/^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/);
    if (heading) {
      const base = slug(heading[1]);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      found.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/<[a-z][^>]*\s(?:id|name)="([^"]+)"/gi)) found.add(m[1]);
  }
  return found;
}

/** The inline links and pictures of a file outside code: `[text](target)`, `![alt](target "title")`;
 *  the text may run over lines, as wrapped prose does. */
export function links(markdown) {
  const kept = new Set(proseLines(markdown).map((l) => l.number));
  // Fenced blocks and code spans (within a paragraph) blanked; newlines kept, so offsets give lines.
  const prose = markdown
    .split('\n')
    .map((line, i) => (kept.has(i + 1) ? line : ''))
    .join('\n')
    .replace(/(`+)(?:(?!\n[ \t]*\n)[\s\S])*?\1/g, (code) => code.replace(/[^\n]/g, ' '));
  const out = [];
  for (const m of prose.matchAll(/!?\[(?:[^\][]|\[[^\]]*\])*\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+"[^"]*")?\s*\)/g)) {
    out.push({ target: m[1].replace(/^<|>$/g, ''), line: prose.slice(0, m.index).split('\n').length });
  }
  return out;
}

/** Every dead relative link in the docs under root, as { file, line, target, problem }. */
export function deadLinks(root) {
  const problems = [];
  const cache = new Map();
  const anchorsOf = (file) => {
    if (!cache.has(file)) cache.set(file, anchors(readFileSync(file, 'utf8')));
    return cache.get(file);
  };
  for (const file of docFiles(root)) {
    const full = path.join(root, file);
    for (const { target, line } of links(readFileSync(full, 'utf8'))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue; // another site, mailto:…
      const hash = target.indexOf('#');
      const rawPath = hash < 0 ? target : target.slice(0, hash);
      const anchor = hash < 0 ? null : decodeURIComponent(target.slice(hash + 1));
      const dest = rawPath === '' ? full : path.resolve(path.dirname(full), decodeURIComponent(rawPath.split('?')[0]));
      const report = (problem) => problems.push({ file, line, target, problem });
      if (!existsSync(dest)) {
        report(`no file ${path.relative(root, dest) || '.'}`);
        continue;
      }
      if (anchor === null || anchor === '') continue;
      if (statSync(dest).isDirectory() || !dest.endsWith('.md')) {
        report(`#${anchor} points into ${path.relative(root, dest)}, which has no headings`);
        continue;
      }
      if (!anchorsOf(dest).has(anchor)) report(`no heading in ${path.relative(root, dest)} makes #${anchor}`);
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
  const problems = deadLinks(root);
  for (const p of problems) console.error(`${p.file}:${p.line}: ${p.target}: ${p.problem}`);
  console.log(`${docFiles(root).length} files checked, ${problems.length} dead link${problems.length === 1 ? '' : 's'}`);
  if (problems.length) process.exit(1);
}
