// Cold and repeat loads on a real-looking link (issue 14), printed, never asserted. Chromium's
// DevTools network emulation throttles every request of the page (portal, sign-in and ARM
// origins alike); the emulator serves the release dist/ with its precompressed assets.
//
// cold:   empty HTTP cache, the token already in sessionStorage → the registry's pool list drawn
// repeat: the same, with the browser's cache as the cold load left it
// Each five times; the median, the bytes on the wire (encoded, headers included) by kind, and
// for the cold load where the time went: downloading the page's assets, compiling and starting
// (the wasm compiles while it streams in: wasm-bindgen uses WebAssembly.instantiateStreaming for
// an application/wasm response), and waiting on ARM until the list is drawn.
import { mkdtempSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startEmulator, CONTOSO_BUILDS } from '../e2e/support/emulator.mjs';
import { launch, signIn } from '../e2e/support/browser.mjs';

const RUNS = Number(process.env.BENCH_LOAD_RUNS ?? 5);
const LINKS = [
  { name: 'broadband: 20 Mbps down, 5 Mbps up, 40 ms RTT', down: 20e6, up: 5e6, rtt: 40 },
  { name: 'slow mobile: 1.6 Mbps down, 750 kbps up, 150 ms RTT', down: 1.6e6, up: 750e3, rtt: 150 },
];

// Chromium writes nothing to its HTTP cache from a site with a certificate error, so a repeat
// visit could not be measured with the error merely ignored: the emulator's CA (kept in a data
// dir) is trusted in the browser's own NSS database, as a real site's certificate would be.
const data = mkdtempSync('/tmp/pool-portal-bench-data-');
const emulator = await startEmulator(['--data-dir', data]);
const home = mkdtempSync('/tmp/pool-portal-bench-home-');
const nss = path.join(home, '.pki/nssdb');
mkdirSync(nss, { recursive: true });
execFileSync('certutil', ['-d', `sql:${nss}`, '-N', '--empty-password']);
execFileSync('certutil', ['-d', `sql:${nss}`, '-A', '-t', 'C,,', '-n', 'pool-portal-emulator', '-i', path.join(data, 'ca.pem')]);
const browser = await launch({ env: { ...process.env, HOME: home } });

/** A fresh context, signed in as Olivia: the token is in sessionStorage from here on. Not
 * `freshPage`: it ignores certificate errors, and this browser must see none. */
async function signedIn() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signIn(page, emulator, 'Olivia Owner');
  return { context, page };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

function kindOf(url) {
  const u = new URL(url);
  if (u.origin === emulator.origins.arm) return 'ARM';
  if (u.origin === emulator.origins.login) return 'sign-in';
  if (u.pathname.endsWith('.wasm')) return 'wasm';
  if (u.pathname.endsWith('.js')) return 'JS';
  if (u.pathname.endsWith('.css')) return 'CSS';
  if (u.pathname.endsWith('.json')) return 'config';
  return 'HTML';
}

/** One load of `url` on `page`, watched through CDP: wall time, bytes and requests by kind. */
async function load(page, cdp, url) {
  const requests = new Map();
  const onSent = (e) => requests.set(e.requestId, { url: e.request.url, method: e.request.method, sent: e.timestamp, bytes: 0 });
  const onDone = (e) => { const r = requests.get(e.requestId); if (r) { r.bytes = e.encodedDataLength; r.done = e.timestamp; } };
  const onCached = (e) => { const r = requests.get(e.requestId); if (r) r.cached = true; };
  cdp.on('Network.requestWillBeSent', onSent);
  cdp.on('Network.loadingFinished', onDone);
  cdp.on('Network.requestServedFromCache', onCached);
  const t0 = Date.now();
  await page.goto(url);
  const drawn = await page.waitForFunction(() => document.querySelector('table[aria-label="Agent pools"] tbody tr') && performance.now(), null, { timeout: 120000 });
  const wall = Date.now() - t0;
  const drawnAt = await drawn.jsonValue();
  // Where the time went, on the page's own clock (ms since navigation start).
  const timeline = await page.evaluate(() => {
    const all = performance.getEntriesByType('resource');
    const same = all.filter((e) => new URL(e.name).origin === location.origin);
    const wasm = same.find((e) => e.name.endsWith('.wasm'));
    const firstArm = all.filter((e) => e.initiatorType === 'fetch' && new URL(e.name).origin !== location.origin && !/\/oauth2|\/v2\.0\//.test(e.name))
      .reduce((m, e) => Math.min(m, e.startTime), Infinity);
    return { assetsEnd: Math.max(...same.map((e) => e.responseEnd)), wasmEnd: wasm?.responseEnd ?? 0, firstArm };
  });
  cdp.off('Network.requestWillBeSent', onSent);
  cdp.off('Network.loadingFinished', onDone);
  cdp.off('Network.requestServedFromCache', onCached);
  const list = [...requests.values()];
  const firstArmSent = Math.min(...list.filter((r) => kindOf(r.url) === 'ARM').map((r) => r.sent));
  const beforeArm = list.filter((r) => r.done !== undefined && r.done <= firstArmSent && kindOf(r.url) !== 'ARM').reduce((s, r) => s + r.bytes, 0);
  const byKind = {};
  for (const r of list) {
    const k = kindOf(r.url);
    byKind[k] ??= { requests: 0, bytes: 0, cached: 0 };
    byKind[k].requests += 1;
    byKind[k].bytes += r.bytes;
    if (r.cached || (r.bytes === 0 && k !== 'ARM')) byKind[k].cached += 1;
  }
  return { wall, drawnAt, timeline, beforeArm, byKind, bytes: list.reduce((s, r) => s + r.bytes, 0) };
}

function report(label, loads) {
  const mid = loads.find((l) => l.wall === median(loads.map((x) => x.wall)));
  console.log(`  ${label}: median ${median(loads.map((l) => l.wall))} ms (min ${Math.min(...loads.map((l) => l.wall))}, max ${Math.max(...loads.map((l) => l.wall))}), ${kb(median(loads.map((l) => l.bytes)))} on the wire, ${kb(median(loads.map((l) => l.beforeArm)))} before the first ARM call`);
  const kinds = Object.entries(mid.byKind).map(([k, v]) => `${k} ${v.requests}${v.cached ? ` (${v.cached} from cache)` : ''} = ${kb(v.bytes)}`);
  console.log(`    requests by kind: ${kinds.join('; ')}`);
  return mid;
}

try {
  const url = `${emulator.origins.portal}${CONTOSO_BUILDS}`;
  for (const link of LINKS) {
    const { page, context } = await signedIn();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: link.rtt, downloadThroughput: link.down / 8, uploadThroughput: link.up / 8 });
    const cold = [];
    const repeat = [];
    for (let i = 0; i < RUNS; i++) {
      await page.goto('about:blank');
      await cdp.send('Network.clearBrowserCache');
      cold.push(await load(page, cdp, url));
      await page.goto('about:blank');
      repeat.push(await load(page, cdp, url));
    }
    console.log(`\n${link.name} (${RUNS} runs each)`);
    const c = report('cold load → pool list', cold);
    report('repeat visit → pool list', repeat);
    const t = c.timeline;
    const parts = [
      ['downloading the page and its assets', t.assetsEnd],
      ['compiling and starting (after the last asset, to the first ARM call)', Math.max(0, t.firstArm - t.assetsEnd)],
      ['waiting on ARM and drawing (first ARM call → list drawn)', c.drawnAt - t.firstArm],
    ];
    console.log(`    where the cold load's ${Math.round(c.drawnAt)} ms went (navigation start → list drawn):`);
    for (const [what, ms] of parts) console.log(`      ${what}: ${Math.round(ms)} ms (${Math.round((100 * ms) / c.drawnAt)}%)`);
    await cdp.detach();
    await context.close();
  }
} finally {
  await browser.close();
  await emulator.stop();
}
