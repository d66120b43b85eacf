// The emulator refuses ARM requests without a valid token, as ARM does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator } from './support/emulator.mjs';

let emulator;
before(async () => { emulator = await startEmulator(); });
after(async () => { await emulator?.stop(); });

test('a request without a token gets 401 AuthenticationFailed', async () => {
  const r = await emulator.api.get(`${emulator.origins.arm}/subscriptions?api-version=2022-12-01`);
  assert.equal(r.status(), 401);
  assert.equal((await r.json()).error.code, 'AuthenticationFailed');
  assert.match(r.headers()['www-authenticate'], /^Bearer authorization_uri=/);
});

test('a forged token gets 401 InvalidAuthenticationToken', async () => {
  const forged = ['{"alg":"none"}', '{"aud":"https://management.pool-portal.test/"}']
    .map((s) => Buffer.from(s).toString('base64url')).join('.') + '.';
  const r = await emulator.api.get(`${emulator.origins.arm}/subscriptions?api-version=2022-12-01`, {
    headers: { Authorization: `Bearer ${forged}` },
  });
  assert.equal(r.status(), 401);
  assert.equal((await r.json()).error.code, 'InvalidAuthenticationToken');
});

test('the same request with the service principal’s token succeeds', async () => {
  const body = await emulator.arm('/subscriptions?api-version=2022-12-01');
  assert.equal(body.value.length, 2);
});
