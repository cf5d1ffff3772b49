import { describe, expect, it } from 'vitest';
import {
  checkWebhookUrl,
  webhookUrlPolicy,
} from '../../../src/shared/webhooks/webhook-url.policy.js';
import { sendWebhook } from '../../../src/shared/webhooks/webhook-sender.js';
import { WebhookReceiver } from './webhook-receiver.js';

describe('webhook URL policy', () => {
  const strict = webhookUrlPolicy('');
  const resolvesTo =
    (...addresses: string[]) =>
    () =>
      Promise.resolve(
        addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
      );

  it('refuses a public-looking host that resolves to a private address', async () => {
    await expect(
      checkWebhookUrl(
        'https://hooks.example.com/x',
        strict,
        resolvesTo('93.184.215.14', '10.0.0.7'),
      ),
    ).rejects.toMatchObject({
      code: 'WEBHOOK_URL_NOT_ALLOWED',
    });
    await expect(
      checkWebhookUrl('https://hooks.example.com/x', strict, resolvesTo('fe80::1')),
    ).rejects.toMatchObject({
      code: 'WEBHOOK_URL_NOT_ALLOWED',
    });
    await expect(
      checkWebhookUrl('https://hooks.example.com/x', strict, resolvesTo('93.184.215.14')),
    ).resolves.toBeInstanceOf(URL);
  });

  it('lets allowlisted networks through, and only they may use http', async () => {
    const loopback = webhookUrlPolicy('127.0.0.0/8, ::1');
    await expect(checkWebhookUrl('http://127.0.0.1:9/x', loopback)).resolves.toBeInstanceOf(URL);
    await expect(checkWebhookUrl('http://[::1]:9/x', loopback)).resolves.toBeInstanceOf(URL);
    await expect(checkWebhookUrl('https://10.0.0.1/x', loopback)).rejects.toMatchObject({
      code: 'WEBHOOK_URL_NOT_ALLOWED',
    });
    await expect(
      checkWebhookUrl('http://hooks.example.com/x', loopback, resolvesTo('93.184.215.14')),
    ).rejects.toMatchObject({
      code: 'WEBHOOK_URL_NOT_ALLOWED',
    });
  });

  it('checks the address again when connecting (DNS rebinding), so nothing reaches a private host', async () => {
    const r = await new WebhookReceiver().start();
    try {
      const result = await sendWebhook({
        url: `http://localhost:${r.port}/hook`,
        body: '{}',
        headers: {},
        timeoutMs: 1000,
        policy: strict,
      });
      expect(result.status).toBeUndefined();
      expect(result.error).toMatch(/private address|EADDRNOTALLOWED/);
      const literal = await sendWebhook({
        url: r.url,
        body: '{}',
        headers: {},
        timeoutMs: 1000,
        policy: strict,
      });
      expect(literal.error).toMatch(/not allowed/);
      expect(r.received).toHaveLength(0);
    } finally {
      await r.stop();
    }
  });
});
