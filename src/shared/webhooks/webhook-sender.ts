import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { addressAllowed, pinnedLookup, type WebhookUrlPolicy } from './webhook-url.policy.js';

export interface SendResult {
  /** HTTP status, absent when no response came (refused, timeout, DNS). */
  status?: number;
  error?: string;
  /** From a `Retry-After` header (seconds or HTTP date), in ms. */
  retryAfterMs?: number;
  durationMs: number;
}

/** Bytes of a receiver's response read before hanging up; the body is not used. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * POST one signed body. The connection goes only to addresses the policy
 * allows (checked on the resolved address itself), redirects are not followed
 * (a 3xx is a failed attempt), and the whole exchange is bounded by `timeoutMs`.
 */
export function sendWebhook(input: {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  policy: WebhookUrlPolicy;
}): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      resolve({ error: 'invalid url', durationMs: 0 });
      return;
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // Literal IPs skip DNS, so the lookup hook never sees them: check here.
    if (isIP(host) && !addressAllowed(input.policy, host) && !input.policy.allowedHosts.has(host)) {
      resolve({ error: `address ${host} is not allowed`, durationMs: 0 });
      return;
    }
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(input.body)),
          'user-agent': 'shop-insights-webhooks/1',
          ...input.headers,
        },
        lookup: pinnedLookup(input.policy),
        signal: AbortSignal.timeout(input.timeoutMs),
        agent: false,
      },
      (res) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) res.destroy();
        });
        const done = () => {
          const retryAfterMs = parseRetryAfter(res.headers['retry-after']);
          resolve({
            status: res.statusCode ?? 0,
            durationMs: elapsed(),
            ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
          });
        };
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      const reason =
        err.name === 'AbortError' || err.name === 'TimeoutError'
          ? `timed out after ${input.timeoutMs} ms`
          : (err.code ?? err.message);
      resolve({ error: String(reason).slice(0, 200), durationMs: elapsed() });
    });
    req.end(input.body);
  });
}
