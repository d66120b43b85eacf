#!/usr/bin/env node
// Security headers for hosting dist/ outside the emulator (README "Deploying to Azure"):
//   node scripts/hosting.mjs AzureCloud|AzureUSGovernment [dist]
// writes dist/staticwebapp.config.json (Azure Static Web Apps: SPA fallback + headers) and prints
// the same headers as an nginx snippet. The CSP pins Trunk's inline loader by its sha256, so run
// it after every build. The e2e cloud test serves the portal with exactly this policy.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [cloud = 'AzureCloud', dist = 'dist'] = process.argv.slice(2);
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const headers = securityHeaders(cloud, html);
  const swa = {
    navigationFallback: { rewrite: '/index.html', exclude: ['/*.{js,wasm,css,json,png,svg,ico}'] },
    globalHeaders: headers,
    mimeTypes: { '.wasm': 'application/wasm' },
  };
  writeFileSync(path.join(dist, 'staticwebapp.config.json'), `${JSON.stringify(swa, null, 2)}\n`);
  console.log(`# wrote ${path.join(dist, 'staticwebapp.config.json')} (Azure Static Web Apps)\n# nginx:`);
  console.log('location / {\n  try_files $uri /index.html;');
  for (const [k, v] of Object.entries(headers)) console.log(`  add_header ${k} "${v}" always;`);
  console.log('}');
}
