// Links between the docs (issue 19): README.md and docs/*.md link to files that are there and to
// headings that exist. The checker is tried on a made-up page first, so a pass means something.
// Needs no build and no emulator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { anchors, deadLinks, docFiles, slug } from '../../scripts/docs-links.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test("headings make GitHub's anchors", () => {
  assert.equal(slug('Scale, pause, resume, delete'), 'scale-pause-resume-delete');
  assert.equal(slug('Configuration (`config.json`)'), 'configuration-configjson');
  assert.equal(slug("Resource Graph's query language: the subset"), 'resource-graphs-query-language-the-subset');
  assert.equal(slug('"Show me the queue": az against the portal'), 'show-me-the-queue-az-against-the-portal');
  assert.equal(slug('snake_case and kebab-case  kept'), 'snake_case-and-kebab-case--kept');
  assert.equal(slug('A [linked](https://example.com) heading'), 'a-linked-heading');
  const found = anchors('# Top\n\n## Notes\n\n```sh\n# not a heading\n```\n\n## Notes\n<a id="here"></a>\n');
  assert.deepEqual([...found].sort(), ['here', 'notes', 'notes-1', 'top']);
});

test('a made-up page: dead files and missing anchors are reported, good links and code are not', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'docs-links-'));
  try {
    mkdirSync(path.join(root, 'docs'));
    writeFileSync(path.join(root, 'docs/picture.png'), '');
    writeFileSync(path.join(root, 'README.md'), [
      '# Made up',
      '',
      '![a picture](docs/picture.png) and [the guide](docs/guide.md#set-up-in-five-lines).',
      '[gone](docs/missing.md), [no such part](docs/guide.md#teardown), [here](#made-up), [not here](#elsewhere).',
      '[a site](https://example.com/nowhere.md) and `[in code](docs/nope.md)`, and [a link whose text',
      'runs over a line](docs/gone-too.md).',
      '',
      '```md',
      '[in a block](docs/nope-either.md)',
      '```',
      '',
    ].join('\n'));
    writeFileSync(path.join(root, 'docs/guide.md'), '# Guide\n\n## Set up, in five lines\n\nBack to the [README](../README.md#made-up) or [its part](../README.md#gone).\n');
    const found = deadLinks(root).map((p) => `${p.file}:${p.line} ${p.target}: ${p.problem}`);
    assert.deepEqual(found, [
      'README.md:4 docs/missing.md: no file docs/missing.md',
      'README.md:4 docs/guide.md#teardown: no heading in docs/guide.md makes #teardown',
      'README.md:4 #elsewhere: no heading in README.md makes #elsewhere',
      'README.md:5 docs/gone-too.md: no file docs/gone-too.md',
      'docs/guide.md:5 ../README.md#gone: no heading in README.md makes #gone',
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the README and every page of docs/ link only to what is there', () => {
  const files = docFiles(repoRoot);
  for (const f of ['README.md', 'docs/architecture.md', 'docs/deploy-azure.md', 'docs/emulator.md', 'docs/testing.md', 'docs/benchmarks.md']) {
    assert.ok(files.includes(f), `${f} is checked`);
  }
  const problems = deadLinks(repoRoot).map((p) => `${p.file}:${p.line}: ${p.target}: ${p.problem}`);
  assert.deepEqual(problems, []);
});
