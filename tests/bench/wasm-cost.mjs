// What each crate costs in the shipped wasm: reads a wasm that kept its name section (built by
// scripts/bench with `wasm-opt -Oz -g`, otherwise as shipped) and sums function body bytes by
// the first crate in each function's name. Generic code counts for the crate that defines it
// (`reactive_graph::…::<closure of pool_portal>` is reactive_graph). Prints, asserts nothing.
import { readFileSync } from 'node:fs';

const bytes = readFileSync(process.argv[2]);
let pos = 8;
const leb = () => {
  let result = 0, shift = 0, b;
  do { b = bytes[pos++]; result += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
  return result;
};
const str = () => { const n = leb(); const s = bytes.toString('utf8', pos, pos + n); pos += n; return s; };

let imported = 0;
const bodySize = new Map();
const names = new Map();
let data = 0;
while (pos < bytes.length) {
  const id = bytes[pos++];
  const size = leb();
  const end = pos + size;
  if (id === 2) { // imports: functions among them shift the code section's indices
    for (let n = leb(); n > 0; n--) {
      str(); str();
      const kind = bytes[pos++];
      if (kind === 0) { leb(); imported++; }
      else if (kind === 1) { pos++; const f = leb(); leb(); if (f & 1) leb(); }
      else if (kind === 2) { const f = leb(); leb(); if (f & 1) leb(); }
      else if (kind === 3) { pos += 2; }
      else if (kind === 4) { pos++; leb(); }
    }
  } else if (id === 10) {
    const n = leb();
    for (let i = 0; i < n; i++) { const s = leb(); bodySize.set(imported + i, s); pos += s; }
  } else if (id === 11) {
    data += size;
  } else if (id === 0) {
    const name = str();
    if (name === 'name') {
      while (pos < end) {
        const sub = bytes[pos++];
        const len = leb();
        const subEnd = pos + len;
        if (sub === 1) for (let n = leb(); n > 0; n--) { const idx = leb(); names.set(idx, str()); }
        pos = subEnd;
      }
    }
  }
  pos = end;
}

const byCrate = new Map();
let code = 0;
for (const [idx, size] of bodySize) {
  code += size;
  const name = names.get(idx) ?? '';
  // Drop glue and closure call shims are core's generics, but the compiler makes one per type
  // and closure of whichever crate: counted apart, so "core" is what a smaller std could cut.
  const crate = /^core::ptr::drop_in_place/.test(name) ? '(drop glue, any crate)'
    : /^core::ops::function::/.test(name) ? '(closure shims, any crate)'
    : name.match(/([a-z_][a-z0-9_]*)(\[[0-9a-f]+\])?::/)?.[1] ?? (name ? 'other' : 'unnamed');
  byCrate.set(crate, (byCrate.get(crate) ?? 0) + size);
}
byCrate.set('(data segments)', data);
const total = code + data;
console.log(`\n${'wasm bytes by crate (before gzip)'.padEnd(34)} ${'bytes'.padStart(10)} ${'share'.padStart(7)}`);
for (const [crate, size] of [...byCrate].sort((a, b) => b[1] - a[1]).slice(0, 14)) {
  console.log(`${crate.padEnd(34)} ${String(size).padStart(10)} ${(100 * size / total).toFixed(1).padStart(6)}%`);
}
console.log(`${'code + data'.padEnd(34)} ${String(total).padStart(10)}`);
