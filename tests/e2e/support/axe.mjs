// axe-core run inside the page. The source is evaluated over the DevTools protocol, which the
// page's Content-Security-Policy does not govern, so the CSP stays strict while axe runs.
import { readFile, appendFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { artifacts } from './browser.mjs';

const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const BLOCKING = new Set(['serious', 'critical']);

/** Runs axe on the page as it is now; returns every violation, and records a one-line summary
 * per page in `artifacts/axe.log` for the closing note. */
export async function axe(page, label) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(`${axeSource};0`);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const violations = result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
  }));
  const count = (impact) => violations.filter((v) => v.impact === impact).length;
  await appendFile(path.join(artifacts, 'axe.log'),
    `${label}: ${result.passes?.length ?? '-'} passes; critical ${count('critical')}, serious ${count('serious')}, moderate ${count('moderate')}, minor ${count('minor')}${violations.length ? ' — ' + violations.map((v) => `${v.id}(${v.impact}) at ${v.nodes.join(' ; ')}`).join(', ') : ''}\n`);
  return violations;
}

/** The serious and critical violations only: these fail a test. */
export async function blockingViolations(page, label) {
  return (await axe(page, label)).filter((v) => BLOCKING.has(v.impact));
}
