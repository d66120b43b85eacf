#!/usr/bin/env node
// Headers for hosting dist/ outside the emulator (docs/deploy-azure.md):
//   node scripts/hosting.mjs AzureCloud|AzureUSGovernment [dist]
// writes dist/staticwebapp.config.json (Azure Static Web Apps: SPA fallback, security headers,
// cache rules) and prints the same as an nginx server block that also sends the `.br`/`.gz` files
// scripts/build wrote. The CSP pins Trunk's inline loader by its sha256, so run it after every
// build. The e2e cloud test serves the portal with exactly this policy.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** NOTES §5: where each cloud signs in and where its ARM lives; run logs come from blob storage. */
export const CLOUDS = {
  AzureCloud: { login: 'https://login.microsoftonline.com', arm: 'https://management.azure.com', blob: 'https://*.blob.core.windows.net' },
  AzureUSGovernment: { login: 'https://login.microsoftonline.us', arm: 'https://management.usgovcloudapi.net', blob: 'https://*.blob.core.usgovcloudapi.net' },
};

/** sha256 (base64) of every inline <script> body: the only inline code, Trunk's wasm loader. */
export function inlineScriptHashes(html) {
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
    .filter((m) => m[1].trim())
    .map((m) => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`);
}

export function contentSecurityPolicy(cloud, html) {
  const c = CLOUDS[cloud];
  if (!c) throw new Error(`cloud must be one of ${Object.keys(CLOUDS).join(', ')}`);
  return [
    "default-src 'none'",
    `script-src 'self' 'wasm-unsafe-eval' ${inlineScriptHashes(html).join(' ')}`,
    "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
    `connect-src 'self' ${c.arm} ${c.login} ${c.blob}`,
    "base-uri 'self'", "form-action 'none'", "frame-ancestors 'none'", "object-src 'none'", "manifest-src 'self'",
  ].join('; ');
}

export function securityHeaders(cloud, html) {
  return {
    'Content-Security-Policy': contentSecurityPolicy(cloud, html),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}

/** Trunk's content-hashed names (`main-<hash>.css`, `…_bg.wasm`; the hash a u64 in hex, leading
 * zeros dropped): a new build is a new name. */
export const HASH = '[0-9a-f]{12,16}';
export const HASHED = new RegExp(`-${HASH}(_bg)?\\.(js|css|wasm)$`);
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The nginx server block: precompressed files, the cache rules, the security headers. An
 * `add_header` inside a location replaces the outer ones, so each location repeats them. */
export function nginx(headers) {
  const add = (extra) => [...Object.entries({ ...headers, ...extra })].map(([k, v]) => `    add_header ${k} "${v}" always;`).join('\n');
  return [
    '# gzip_static: ngx_http_gzip_static_module (in Debian\'s nginx); brotli_static: ngx_brotli',
    '# (Debian: apt install libnginx-mod-http-brotli-static). Both send the .gz/.br beside a file',
    '# to a browser that accepts it; gzip_vary adds Vary: Accept-Encoding.',
    'gzip_static on;',
    'gzip_vary on;',
    'brotli_static on;',
    `location ~* "${HASHED.source.replace(/\\/g, '\\')}" {`,
    add({ 'Cache-Control': IMMUTABLE }),
    '}',
    'location / {',
    '    try_files $uri /index.html;',
    add({ 'Cache-Control': 'no-cache' }),
    '}',
  ].join('\n');
}

/** Azure Static Web Apps: its own fallback and headers; the cache rule of each hashed file is a
 * route of its own (routes take wildcards, not patterns). */
export function staticWebApp(headers, files) {
  return {
    navigationFallback: { rewrite: '/index.html', exclude: ['/*.{js,wasm,css,json,png,svg,ico}'] },
    routes: files.filter((f) => HASHED.test(f)).map((f) => ({ route: `/${f}`, headers: { 'Cache-Control': IMMUTABLE } })),
    globalHeaders: { ...headers, 'Cache-Control': 'no-cache' },
    mimeTypes: { '.wasm': 'application/wasm' },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [cloud = 'AzureCloud', dist = 'dist'] = process.argv.slice(2);
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const headers = securityHeaders(cloud, html);
  const swa = staticWebApp(headers, readdirSync(dist));
  writeFileSync(path.join(dist, 'staticwebapp.config.json'), `${JSON.stringify(swa, null, 2)}\n`);
  console.log(`# wrote ${path.join(dist, 'staticwebapp.config.json')} (Azure Static Web Apps)\n# nginx (inside your server block):`);
  console.log(nginx(headers));
}
