// Starts the emulator (the debug build scripts/build made) on free ports for one test file.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { request } from 'playwright-core';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const SERVICE_PRINCIPAL = {
  clientId: '5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170',
  secret: 'pool-portal-demo-secret',
};
export const TENANT = '8b1d5c3e-4f6a-4d2b-9c7e-2a1f0e3d4c5b';
export const ARM_RESOURCE = 'https://management.pool-portal.test/';

/** Starts an emulator with `extraArgs`. Timer triggers stay still unless they include
 * `WITH_TIMERS`: the demo's scheduled scaling of build-s2 (weekdays 07:00 and 20:00 UTC) would
 * otherwise change its count in any test whose clock passes those hours. */
export const WITH_TIMERS = '--with-timers';

export async function startEmulator(extraArgs = []) {
  const timers = extraArgs.includes(WITH_TIMERS);
  const args = extraArgs.filter((a) => a !== WITH_TIMERS);
  const proc = spawn(
    path.join(repoRoot, 'target/debug/emulator'),
    ['--dist', path.join(repoRoot, 'dist'), '--portal-port', '0', '--arm-port', '0',
     '--login-port', '0', '--admin-port', '0', '--blob-port', '0', ...(timers ? [] : ['--no-timers']), ...args],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const origins = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout });
    lines.on('line', (line) => {
      if (line.startsWith('READY ')) resolve(JSON.parse(line.slice(6)));
    });
    proc.once('exit', (code) => reject(new Error(`emulator exited with ${code} before it was ready`)));
  });
  const api = await request.newContext({ ignoreHTTPSErrors: true });
  let token;
  const emulator = {
    origins,
    /** The request log, optionally only entries after sequence number `after`. */
    async requests(after = 0) {
      const r = await fetch(`${origins.admin}/requests?after=${after}`);
      return r.json();
    },
    /** The last sequence number in the log (to count requests from here on). */
    async mark() {
      const all = await emulator.requests();
      return all.length ? all[all.length - 1].seq : 0;
    },
    /** GET on ARM as the demo service principal (Contributor on both subscriptions). */
    async arm(pathAndQuery) {
      token ??= await servicePrincipalToken(api, origins);
      const r = await api.get(`${origins.arm}${pathAndQuery}`, { headers: { Authorization: `Bearer ${token}` } });
      if (!r.ok()) throw new Error(`ARM ${pathAndQuery}: ${r.status()} ${await r.text()}`);
      return r.json();
    },
    /** Any ARM request as the service principal; returns { status, body }. */
    async armSend(method, pathAndQuery, body) {
      token ??= await servicePrincipalToken(api, origins);
      const r = await api.fetch(`${origins.arm}${pathAndQuery}`, { method, headers: { Authorization: `Bearer ${token}` }, data: body });
      const text = await r.text();
      return { status: r.status(), body: text ? JSON.parse(text) : null };
    },
    /** Fault switches (admin port): replaces them all. */
    setFaults(faults) {
      return fetch(`${origins.admin}/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
    },
    /** `{speed}` and/or `{advanceMs}` for simulated time. */
    setClock(change) {
      return fetch(`${origins.admin}/clock`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(change) });
    },
    /** Ends every refresh token: the next silent renewal needs a new sign-in. */
    revokeRefreshTokens() {
      return fetch(`${origins.admin}/revoke-refresh-tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    },
    /** Tags on a pool as an earlier emulator kept them (an old pause record, say). */
    async seedPoolTags(registry, pool, tags) {
      const r = await fetch(`${origins.admin}/seed-pool-tags`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ registry, pool, tags }) });
      if (!r.ok) throw new Error(`seed-pool-tags: ${r.status}`);
    },
    /** A built-in role on a whole subscription, as the tenant's administrator grants it. */
    async grant(principal, subscription, role) {
      const r = await fetch(`${origins.admin}/grant`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ principal, subscription, role }) });
      if (!r.ok) throw new Error(`grant: ${r.status}`);
    },
    /** Back to the demo data. */
    reset() {
      return fetch(`${origins.admin}/reset`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    },
    /** Every item of an ARM list, following nextLink as a client must. */
    async armList(pathAndQuery) {
      const items = [];
      for (let url = pathAndQuery; url;) {
        const body = await emulator.arm(url);
        items.push(...body.value);
        url = body.nextLink ? body.nextLink.slice(origins.arm.length) : null;
      }
      return items;
    },
    api,
    async stop() {
      await api.dispose();
      proc.kill();
    },
  };
  return emulator;
}

async function servicePrincipalToken(api, origins) {
  const r = await api.post(`${origins.login}/${TENANT}/oauth2/v2.0/token`, {
    form: {
      grant_type: 'client_credentials',
      client_id: SERVICE_PRINCIPAL.clientId,
      client_secret: SERVICE_PRINCIPAL.secret,
      scope: `${ARM_RESOURCE}/.default`,
    },
  });
  if (!r.ok()) throw new Error(`token: ${r.status()} ${await r.text()}`);
  return (await r.json()).access_token;
}

export const CONTOSO = '1f0e2d3c-4b5a-4697-8877-665544332211';
export const FABRIKAM = '2a3b4c5d-6e7f-4809-9a1b-2c3d4e5f6a7b';
export const registryPath = (sub, rg, name) =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ContainerRegistry/registries/${name}`;
export const CONTOSO_BUILDS = registryPath(CONTOSO, 'rg-builds', 'contosobuilds');
