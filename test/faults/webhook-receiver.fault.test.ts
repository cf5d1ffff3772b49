import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookReceiver, type ReceivedHook } from '../integration/webhooks/webhook-receiver.js';
import { freePort } from '../support/redis-server.js';
import {
  ask,
  AS_OF,
  createFaultWorld,
  eventually,
  waitForFinal,
  type FaultWorld,
} from './fault-harness.js';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
/** 20 distinct Tier 1 questions × 2: no two share a cache entry or an in-flight job. */
const QUESTIONS = Array.from({ length: 20 }, (_, i) => {
  const month = (6 + i) % 12; // July 1996 … February 1998
  const year = 1996 + Math.floor((6 + i) / 12);
  return [
    `What was our revenue in ${MONTHS[month]} ${year}?`,
    `How many orders did we get in ${MONTHS[month]} ${year}?`,
  ];
}).flat();
/** Every fourth question also names its own webhook_url. */
const WITH_QUESTION_URL = (i: number) => i % 4 === 0;

interface Delivery {
  delivery_id: string;
  message_id: string;
  job_id: string;
  status: 'pending' | 'succeeded' | 'failed';
  target: { kind: 'endpoint' | 'question_url' };
  attempts: { status_code?: number; error?: string }[];
}

interface Seen extends ReceivedHook {
  answered: number;
}

describe('the webhook receiver down for a while, then back', () => {
  let world: FaultWorld;
  let receiver: WebhookReceiver | null = null;
  beforeAll(async () => {
    world = await createFaultWorld({
      WEBHOOK_ALLOW_PRIVATE: '127.0.0.0/8',
      WEBHOOK_RETRY_BASE_MS: '300',
      WEBHOOK_RETRY_MAX_MS: '1500',
      WEBHOOK_TIMEOUT_MS: '2000',
    });
  });
  afterAll(async () => {
    await receiver?.stop();
    await world?.teardown();
  });

  it('delivers every event once it is back, and none twice under the same webhook-id', async () => {
    const api = await world.stack.startApi();
    world.stack.start('worker-kpi');
    const firstSender = world.stack.start('worker-webhooks');
    const port = await freePort();
    const hookUrl = `http://127.0.0.1:${port}/hook`;
    const questionUrl = `http://127.0.0.1:${port}/q`;

    const post = async (path: string, body: unknown): Promise<Response> =>
      fetch(`${api}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    const created = await post('/api/webhooks', { shop_id: 2, url: hookUrl });
    expect(created.status).toBe(201);
    const endpointSecret = ((await created.json()) as { secret: string }).secret;
    const questionSecret = (
      (await (await fetch(`${api}/api/webhooks/question-secret?shop_id=2`)).json()) as {
        secret: string;
      }
    ).secret;

    // The receiver is down (nothing listens on its port) while questions finish.
    const responses = await Promise.all(
      QUESTIONS.map((question, i) =>
        ask(api, {
          shop_id: 2,
          question,
          as_of: AS_OF,
          ...(WITH_QUESTION_URL(i) ? { webhook_url: questionUrl } : {}),
        }),
      ),
    );
    const jobIds: string[] = [];
    for (const res of responses) {
      expect(res.status).toBe(202);
      jobIds.push(((await res.json()) as { job_id: string }).job_id);
    }
    expect(new Set(jobIds).size).toBe(QUESTIONS.length);
    const withQuestionUrl = new Set(jobIds.filter((_, i) => WITH_QUESTION_URL(i)));
    await waitForFinal(world.results, jobIds, 60_000);
    const expected = jobIds.length + withQuestionUrl.size;

    const deliveries = async (): Promise<Delivery[]> => {
      const res = await fetch(`${api}/api/webhooks/deliveries?shop_id=2&limit=200`);
      return ((await res.json()) as { deliveries: Delivery[] }).deliveries;
    };
    // Every delivery has failed at least once against the refused port.
    await eventually(
      async () => {
        const list = await deliveries();
        return (
          list.length === expected &&
          list.every((d) => d.attempts.some((a) => a.error === 'ECONNREFUSED'))
        );
      },
      30_000,
      'a refused attempt for every delivery',
    );

    // The sending worker dies during the outage; a new one takes over the retries,
    // which live in Redis as delayed jobs.
    firstSender.child.kill('SIGKILL');
    await firstSender.exited;
    world.stack.start('worker-webhooks');
    await new Promise((r) => setTimeout(r, 1_000));

    // Back: first overloaded (503 with Retry-After), then healthy.
    const seen: Seen[] = [];
    receiver = new WebhookReceiver((n) => {
      const hook = receiver!.received[n - 1]!;
      const answered = n <= 10 ? 503 : 200;
      seen.push({ ...hook, answered });
      return answered === 503 ? { status: 503, headers: { 'retry-after': '1' } } : { status: 200 };
    });
    await receiver.start(port);

    const final = await eventually(
      async () => {
        const list = await deliveries();
        return list.length === expected && list.every((d) => d.status === 'succeeded')
          ? list
          : null;
      },
      60_000,
      'every delivery to succeed',
      250,
    );
    // Nothing more arrives later: no retry of an accepted delivery is still queued.
    await new Promise((r) => setTimeout(r, 1_500));

    const accepted = seen.filter((s) => s.answered === 200);
    const byEndpoint = new Webhook(endpointSecret);
    const byQuestion = new Webhook(questionSecret);
    const key = (s: Seen, target: string) => `${target}|${s.headers['webhook-id']}`;
    const acceptedKeys: string[] = [];
    const endpointJobs = new Set<string>();
    const questionJobs = new Set<string>();
    for (const s of accepted) {
      // Signed with exactly one of the two secrets: that says which target it was.
      let target: 'endpoint' | 'question_url';
      let payload: { type: string; data: { job_id: string } };
      try {
        payload = byEndpoint.verify(s.body, s.headers) as typeof payload;
        target = 'endpoint';
        endpointJobs.add(payload.data.job_id);
      } catch {
        payload = byQuestion.verify(s.body, s.headers) as typeof payload;
        target = 'question_url';
        questionJobs.add(payload.data.job_id);
      }
      expect(payload.type).toBe('question.succeeded');
      acceptedKeys.push(key(s, target));
    }
    // Every event delivered …
    expect(accepted).toHaveLength(expected);
    expect(endpointJobs).toEqual(new Set(jobIds));
    expect(questionJobs).toEqual(withQuestionUrl);
    // … and none accepted twice under the same webhook-id (per destination).
    expect(new Set(acceptedKeys).size).toBe(acceptedKeys.length);
    // The 503s were retried with the same webhook-id; nothing else was sent.
    const ids = new Set(final.map((d) => d.message_id));
    for (const s of seen) expect(ids.has(s.headers['webhook-id']!)).toBe(true);
    expect(seen).toHaveLength(expected + 10);

    // The delivery log tells the story: refused attempts, then success.
    for (const d of final) {
      expect(d.attempts.length).toBeGreaterThanOrEqual(2);
      expect(d.attempts[0]!.error).toBe('ECONNREFUSED');
      expect(d.attempts.at(-1)!.status_code).toBe(200);
    }
  });
});
