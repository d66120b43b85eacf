// The real Azure CLI (scripts/setup installs it into .tools/azure-cli) against an emulator that
// this process started: a config dir of its own, TLS checked against the emulator's CA, no
// telemetry. Each call is a whole `az` process, as a user would run it.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, startEmulator, SERVICE_PRINCIPAL, TENANT } from '../../e2e/support/emulator.mjs';

export const AZ = path.join(repoRoot, '.tools/azure-cli/bin/az');

/** Splits a command line the way a POSIX shell would for what the portal prints: words,
 * single-quoted strings (with `'\''` for a quote) and nothing else. Refuses anything a shell
 * would expand, so a test never runs a command it does not understand. */
export function shellWords(line) {
  const words = [];
  let word = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === ' ') {
      if (word !== null) words.push(word);
      word = null;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated quote in: ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '\\' && line[i + 1] === "'") {
      word = (word ?? '') + "'";
      i += 1;
    } else if (!/[A-Za-z0-9\-_./:=@]/.test(c)) {
      // The portal quotes anything else (src/domain/cli.rs `quote`).
      throw new Error(`unquoted shell character ${c} in: ${line}`);
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

/** An emulator with a data dir (so its CA is on disk for the CLI to trust) and a signed-in CLI. */
export async function startWithCli(extraArgs = []) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pool-emu-'));
  const configDir = mkdtempSync(path.join(os.tmpdir(), 'pool-az-'));
  const emulator = await startEmulator(['--data-dir', dataDir, ...extraArgs]);
  const env = {
    ...process.env,
    AZURE_CONFIG_DIR: configDir,
    AZURE_CORE_COLLECT_TELEMETRY: 'false',
    AZURE_CORE_NO_COLOR: 'true',
    AZURE_CORE_ONLY_SHOW_ERRORS: 'true',
    REQUESTS_CA_BUNDLE: path.join(dataDir, 'ca.pem'),
  };
  /** Runs `az …args`; resolves to { code, stdout, stderr, json } (json: stdout parsed, if it is). */
  const az = (args, { cwd } = {}) => new Promise((resolve) => {
    // A bound on a whole process, so a command that never ends fails the suite instead of
    // hanging it (the slowest, a streamed build log, takes seconds here).
    execFile(AZ, args, { env, cwd, maxBuffer: 16 << 20, timeout: 180_000 }, (error, stdout, stderr) => {
      let json;
      try { json = JSON.parse(stdout); } catch { json = undefined; }
      resolve({ code: error ? (error.code ?? 1) : 0, stdout, stderr, json });
    });
  });
  /** `az` that must succeed. */
  const azOk = async (args, options) => {
    const r = await az(args, options);
    if (r.code !== 0) throw new Error(`az ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
    return r;
  };
  return {
    emulator,
    az,
    azOk,
    caFile: env.REQUESTS_CA_BUNDLE,
    env,
    /** docs/emulator.md's set-up: register the cloud by its metadata alone, then sign in. */
    async signIn() {
      await azOk(['cloud', 'register', '-n', 'PoolEmu', '--endpoint-resource-manager', `${emulator.origins.arm}/`]);
      await azOk(['cloud', 'set', '-n', 'PoolEmu']);
      await azOk(['config', 'set', 'core.instance_discovery=false']);
      return azOk(['login', '--service-principal', '-u', SERVICE_PRINCIPAL.clientId, '-p', SERVICE_PRINCIPAL.secret, '--tenant', TENANT]);
    },
    async stop() {
      await emulator.stop();
      rmSync(configDir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `read` until `done(value)`: a wait for a condition, never a fixed sleep. */
export async function waitFor(read, done, { timeoutMs = 30000, what = 'condition' } = {}) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: last ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
