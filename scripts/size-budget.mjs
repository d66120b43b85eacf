#!/usr/bin/env node
// The first load's brotli bytes against the size table of docs/benchmarks.md (issue 14; the table
// lived in the README until issue 19): a regression line, not a wish. The budget is the total the
// table records plus 5%; a build past it fails until the table says what the first load now
// weighs (so growth is a decision, written down in the same commit).
//   node scripts/size-budget.mjs [dist]      prints each asset, the total and the budget
//   SIZE_BUDGET_FILE=<file>                  reads the row from another file (the script's own test)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotli } from './precompress.mjs';
import { HASH } from './hosting.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** What a first visit downloads from our origin, in the size table's order. */
export const FIRST_LOAD = [
  ['wasm', new RegExp(`^pool-portal-${HASH}_bg\\.wasm$`)],
  ['JS glue', new RegExp(`^pool-portal-${HASH}\\.js$`)],
  ['CSS', new RegExp(`^main-${HASH}\\.css$`)],
  ['msal-browser', new RegExp(`^msal-browser\\.min-${HASH}\\.js$`)],
  ['index.html', /^index\.html$/],
];
/** Where the budget is recorded, and the row it is taken from. */
export const BUDGET_FILE = 'docs/benchmarks.md';
export const BUDGET_ROW = /^\| \*\*first load, brotli\*\* \| \*\*([\d,]+)\*\* \|/m;
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

export function recorded(markdown) {
  const m = markdown.match(BUDGET_ROW);
  if (!m) throw new Error(`${BUDGET_FILE} has no "| **first load, brotli** | **N** |" row in its size table`);
  return Number(m[1].replace(/,/g, ''));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = process.argv[2] ?? path.join(root, 'dist');
  const assets = firstLoad(dist);
  const total = assets.reduce((s, a) => s + a.br, 0);
  // Another file only for the script's own test.
  const base = recorded(readFileSync(process.env.SIZE_BUDGET_FILE ?? path.join(root, BUDGET_FILE), 'utf8'));
  const budget = Math.floor(base * (1 + SLACK));
  const n = (x) => x.toLocaleString('en-US');
  for (const a of assets) console.log(`${a.what.padEnd(14)} ${a.file.padEnd(42)} ${n(a.raw).padStart(11)} raw ${n(a.br).padStart(9)} brotli`);
  console.log(`first load, brotli: ${n(total)} bytes; ${BUDGET_FILE} records ${n(base)}, so the budget (+${SLACK * 100}%) is ${n(budget)}`);
  if (total > budget) {
    console.error(`The first load grew past its budget by ${n(total - budget)} bytes. If that is meant, write ${n(total)} in ${BUDGET_FILE}'s "first load, brotli" row (and say why) in the same commit.`);
    process.exit(1);
  }
}
