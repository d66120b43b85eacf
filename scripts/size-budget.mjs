#!/usr/bin/env node
// The first load's brotli bytes against the README's size table (issue 14): a regression line,
// not a wish. The budget is the total the README records plus 5%; a build past it fails until
// the README's table says what the first load now weighs (so growth is a decision, written down
// in the same commit).
//   node scripts/size-budget.mjs [dist]      prints each asset, the total and the budget
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotli } from './precompress.mjs';
import { HASH } from './hosting.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** What a first visit downloads from our origin, in the README's order. */
export const FIRST_LOAD = [
  ['wasm', new RegExp(`^pool-portal-${HASH}_bg\\.wasm$`)],
  ['JS glue', new RegExp(`^pool-portal-${HASH}\\.js$`)],
  ['CSS', new RegExp(`^main-${HASH}\\.css$`)],
  ['msal-browser', new RegExp(`^msal-browser\\.min-${HASH}\\.js$`)],
  ['index.html', /^index\.html$/],
];
/** The README row the budget is taken from. */
export const README_ROW = /^\| \*\*first load, brotli\*\* \| \*\*([\d,]+)\*\* \|/m;
export const SLACK = 0.05;

export function firstLoad(dist) {
  const files = readdirSync(dist);
  return FIRST_LOAD.map(([what, name]) => {
    const file = files.find((f) => name.test(f));
    if (!file) throw new Error(`dist/ has no ${what} (${name}): run scripts/build`);
    const full = path.join(dist, file);
    const br = existsSync(`${full}.br`) ? readFileSync(`${full}.br`).length : brotli(readFileSync(full), !file.endsWith('.wasm')).length;
    return { what, file, raw: readFileSync(full).length, br };
  });
}

export function recorded(readme) {
  const m = readme.match(README_ROW);
  if (!m) throw new Error('README.md has no "| **first load, brotli** | **N** |" row in its size table');
  return Number(m[1].replace(/,/g, ''));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = process.argv[2] ?? path.join(root, 'dist');
  const assets = firstLoad(dist);
  const total = assets.reduce((s, a) => s + a.br, 0);
  // Another README only for the script's own test.
  const base = recorded(readFileSync(process.env.SIZE_BUDGET_README ?? path.join(root, 'README.md'), 'utf8'));
  const budget = Math.floor(base * (1 + SLACK));
  const n = (x) => x.toLocaleString('en-US');
  for (const a of assets) console.log(`${a.what.padEnd(14)} ${a.file.padEnd(42)} ${n(a.raw).padStart(11)} raw ${n(a.br).padStart(9)} brotli`);
  console.log(`first load, brotli: ${n(total)} bytes; the README records ${n(base)}, so the budget (+${SLACK * 100}%) is ${n(budget)}`);
  if (total > budget) {
    console.error(`The first load grew past its budget by ${n(total - budget)} bytes. If that is meant, write ${n(total)} in README.md's "first load, brotli" row (and say why) in the same commit.`);
    process.exit(1);
  }
}
