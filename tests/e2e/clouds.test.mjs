// The same build against real clouds (issue 6, NOTES §5): with config.json naming a cloud preset,
// the portal signs in at that cloud's authority, asks for its ARM scope (double slash kept) and
// calls its ARM host, all under the CSP that `scripts/hosting.mjs` writes for static hosts.
// Nothing leaves the machine: Playwright answers for Entra ID and ARM.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startEmulator, repoRoot } from './support/emulator.mjs';
import { launch, closePages, freshPage, screenshot } from './support/browser.mjs';
import { contentSecurityPolicy } from '../../scripts/hosting.mjs';

const CLIENT_ID = '4a1e9c2b-7d3f-4e8a-9b6c-1f2e3d4c5b6a';
const TENANT = 'contoso.onmicrosoft.com';
const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OID = '0b8e3c1d-2f4a-4b6c-8d9e-0a1b2c3d4e5f';
const EXPECTED = {
  AzureCloud: { login: 'https://login.microsoftonline.com', arm: 'https://management.azure.com', scope: 'https://management.core.windows.net//.default' },
  AzureUSGovernment: { login: 'https://login.microsoftonline.us', arm: 'https://management.usgovcloudapi.net', scope: 'https://management.core.usgovcloudapi.net//.default' },
};

let emulator, browser, html;
before(async () => {
  emulator = await startEmulator();
  browser = await launch();
  html = await readFile(path.join(repoRoot, 'dist/index.html'), 'utf8');
});
after(async () => { await browser?.close(); await emulator?.stop(); });
afterEach(closePages);

const b64url = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = (claims) => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`;

/** Plays Entra ID at `login` for one sign-in, recording what the portal asked for. */
function fakeAuthority(page, login, portal, seen) {
  const cors = { 'access-control-allow-origin': portal };
  const base = `${login}/${TENANT}`;
  return page.route(`${login}/**`, async (route) => {
    const url = new URL(route.request().url());
    seen.push(`${route.request().method()} ${url.origin}${url.pathname}`);
    if (url.pathname.endsWith('/.well-known/openid-configuration')) {
      return route.fulfill({ headers: cors, json: {
        issuer: `${login}/${TENANT_ID}/v2.0`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        token_endpoint: `${base}/oauth2/v2.0/token`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        jwks_uri: `${login}/${TENANT}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
      } });
    }
    if (url.pathname.endsWith('/discovery/instance')) {
      const host = new URL(login).host;
      return route.fulfill({ headers: cors, json: {
        tenant_discovery_endpoint: `${base}/v2.0/.well-known/openid-configuration`,
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      } });
    }
    if (url.pathname.endsWith('/oauth2/v2.0/authorize')) {
      seen.authorize = url;
      const answer = new URLSearchParams({
        code: 'fake-code', state: url.searchParams.get('state'),
        client_info: b64url({ uid: OID, utid: TENANT_ID }),
      });
      const sep = url.searchParams.get('response_mode') === 'query' ? '?' : '#';
      // A page that sends the browser back, not a 302: Playwright does not route redirects.
      const back = `${url.searchParams.get('redirect_uri')}${sep}${answer}`.replaceAll('&', '&amp;');
      return route.fulfill({ contentType: 'text/html', body: `<meta http-equiv="refresh" content="0;url=${back}">` });
    }
    if (url.pathname.endsWith('/oauth2/v2.0/token')) {
      const form = new URLSearchParams(route.request().postData());
      seen.token = form;
      const now = Math.floor(Date.now() / 1000);
      return route.fulfill({ headers: cors, json: {
        token_type: 'Bearer', scope: form.get('scope'), expires_in: 3600, ext_expires_in: 3600,
        access_token: 'fake-arm-token',
        refresh_token: 'fake-refresh',
        client_info: b64url({ uid: OID, utid: TENANT_ID }),
        id_token: jwt({
          aud: CLIENT_ID, iss: `${login}/${TENANT_ID}/v2.0`, iat: now, nbf: now, exp: now + 3600,
          name: 'Cloud Tester', preferred_username: 'tester@contoso.example', oid: OID, sub: OID, tid: TENANT_ID,
          nonce: seen.authorize?.searchParams.get('nonce'),
        }),
      } });
    }
    return route.fulfill({ status: 404, headers: cors, body: 'not faked' });
  });
}

for (const [cloud, want] of Object.entries(EXPECTED)) {
  test(`${cloud}: its authority, its ARM scope with the double slash, its ARM host`, async () => {
    const { page, problems } = await freshPage(browser);
    const portal = emulator.origins.portal;
    // The portal as a static host would serve it: the hosting script's CSP for this cloud.
    await page.route(`${portal}/`, async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers(), 'content-security-policy': contentSecurityPolicy(cloud, html) };
      await route.fulfill({ response, headers });
    });
    await page.route(`${portal}/config.json`, (route) => route.fulfill({
      json: { clientId: CLIENT_ID, tenant: TENANT, cloud },
    }));
    const seen = [];
    await fakeAuthority(page, want.login, portal, seen);
    const arm = [];
    await page.route(`${want.arm}/**`, (route) => {
      const r = route.request();
      arm.push({ url: r.url(), auth: r.headers().authorization });
      return route.fulfill({
        headers: { 'access-control-allow-origin': portal, 'access-control-expose-headers': 'x-ms-request-id' },
        json: { value: [{ id: '/subscriptions/5c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', subscriptionId: '5c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', displayName: `A ${cloud} subscription`, state: 'Enabled' }] },
      });
    });

    await page.goto(`${portal}/`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: `A ${cloud} subscription` }).waitFor({ timeout: 15000 });
    await screenshot(page, `cloud-${cloud}`);

    const authorize = seen.authorize;
    assert.ok(authorize, 'the sign-in went to the authority');
    assert.equal(`${authorize.origin}${authorize.pathname}`, `${want.login}/${TENANT}/oauth2/v2.0/authorize`);
    assert.equal(authorize.searchParams.get('client_id'), CLIENT_ID);
    assert.ok(authorize.searchParams.get('scope').split(' ').includes(want.scope), `scope ${authorize.searchParams.get('scope')}`);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(authorize.searchParams.get('redirect_uri'), `${portal}/`);
    assert.ok(seen.token.get('scope').split(' ').includes(want.scope), 'the token request asks for the same scope');
    assert.ok(seen.token.get('code_verifier'), 'PKCE');
    assert.ok(seen.every((s) => s.includes(`${want.login}/`)), `only ${want.login} was asked: ${seen}`);

    assert.ok(arm.length > 0, 'ARM was called');
    for (const call of arm) {
      assert.equal(new URL(call.url).origin, want.arm);
      assert.equal(call.auth, 'Bearer fake-arm-token');
    }
    assert.match(arm[0].url, /\/subscriptions\?api-version=2022-12-01$/);
    assert.deepEqual(problems, []);
  });
}

test('the hosting CSP pins the same loader the emulator serves', async () => {
  const served = (await emulator.api.get(`${emulator.origins.portal}/`)).headers()['content-security-policy'];
  const hashes = (csp) => csp.match(/'sha256-[^']+'/g);
  assert.deepEqual(hashes(contentSecurityPolicy('AzureCloud', html)), hashes(served));
});
