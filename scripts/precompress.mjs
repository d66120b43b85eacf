#!/usr/bin/env node
// Writes `.br` (brotli, quality 11) and `.gz` (gzip -9) beside every text and wasm asset of a
// built dist/, so a static host (the emulator's portal origin, nginx's gzip_static/brotli_static)
// sends them compressed without compressing on each request:
//   node scripts/precompress.mjs [dist]
// Node's own zlib does both: nothing to install. Prints each asset's three sizes.
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** What is worth compressing: everything Trunk writes but images (none yet) and our own outputs. */
export const COMPRESSIBLE = /\.(wasm|js|mjs|css|html|json|svg|txt|map)$/;

export function brotli(bytes, text) {
  return brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_MODE]: text ? constants.BROTLI_MODE_TEXT : constants.BROTLI_MODE_GENERIC,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
}

export function gzip(bytes) {
  return gzipSync(bytes, { level: 9 });
}

/** Compresses every asset under `dist` (recursively); returns [{file, raw, br, gz}]. */
export function precompress(dist) {
  const done = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) { walk(file); continue; }
      if (!COMPRESSIBLE.test(name)) continue;
      const bytes = readFileSync(file);
      const br = brotli(bytes, !name.endsWith('.wasm'));
      const gz = gzip(bytes);
      writeFileSync(`${file}.br`, br);
      writeFileSync(`${file}.gz`, gz);
      done.push({ file: path.relative(dist, file), raw: bytes.length, br: br.length, gz: gz.length });
    }
  };
  walk(dist);
  return done;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = process.argv[2] ?? 'dist';
  for (const { file, raw, br, gz } of precompress(dist)) {
    console.log(`${file.padEnd(44)} ${String(raw).padStart(9)} raw ${String(gz).padStart(9)} gz ${String(br).padStart(9)} br`);
  }
}
