import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { newWebhookSecret, signWebhook, verifyWebhook } from './webhook-signature.js';

describe('webhook signatures', () => {
  it('signs "id.timestamp.body" with the base64 key after whsec_, as Standard Webhooks does', () => {
    const key = Buffer.alloc(32, 1);
    const secret = `whsec_${key.toString('base64')}`;
    const expected = createHmac('sha256', key).update('msg_1.1700000000.{"a":1}').digest('base64');
    assert.equal(signWebhook(secret, 'msg_1', 1700000000, '{"a":1}'), `v1,${expected}`);
  });

  it('verifies its own signature, and refuses another secret, another body or an old timestamp', () => {
    const secret = newWebhookSecret();
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    const nowS = 1_800_000_000;
    const headers = { id: 'msg_x', timestamp: String(nowS), signature: `v1,bogus ${signWebhook(secret, 'msg_x', nowS, 'body')}` };
    assert.equal(verifyWebhook(secret, headers, 'body', { nowS }), true);
    assert.equal(verifyWebhook(newWebhookSecret(), headers, 'body', { nowS }), false);
    assert.equal(verifyWebhook(secret, headers, 'body!', { nowS }), false);
    assert.equal(verifyWebhook(secret, headers, 'body', { nowS: nowS + 301 }), false);
  });
});
