import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isFinalStatus, type JobStatus } from '../shared/results/job-record.js';
import { compareAnswer, evalCaseSchema } from './eval/eval-case.js';

/**
 * `npm run eval -- <questions.jsonl> [--url URL] [--key KEY]`: ask every question
 * of a set through the running API and print pass/fail per question and the total.
 * Exits non-zero when any question fails.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string', default: process.env.SI_URL ?? 'http://127.0.0.1:3000' },
    key: { type: 'string', default: process.env.SI_API_KEY },
  },
});
const file = positionals[0];
if (!file) {
  console.error(
    'usage: npm run eval -- <questions.jsonl> [--url http://127.0.0.1:3000] [--key KEY]',
  );
  process.exit(2);
}
const headers = {
  'content-type': 'application/json',
  ...(values.key ? { authorization: `Bearer ${values.key}` } : {}),
};

/**
 * Ask one question as a well-behaved client: a 429 waits out its Retry-After
 * and asks again (a set is longer than a shop's questions per minute), and a
 * 202 (not answered within wait_ms) is polled until the job is final.
 */
async function ask(
  body: Record<string, unknown>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  for (;;) {
    const res = await fetch(`${values.url}/api/ask`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status === 429) {
      const wait = Number(res.headers.get('retry-after') ?? 1);
      console.log(`     rate limited: waiting ${wait} s (RATE_LIMIT_PER_MINUTE sets the limit)`);
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, wait) * 1000));
      continue;
    }
    if (res.status !== 202 || typeof json.status_url !== 'string')
      return { status: res.status, body: json };
    return poll(json.status_url);
  }
}

async function poll(statusUrl: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const res = await fetch(`${values.url}${statusUrl}`, { headers });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status !== 200 || isFinalStatus(json.status as JobStatus) || Date.now() > deadline)
      return { status: res.status, body: json };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim() !== '');
let passed = 0;
for (const [i, line] of lines.entries()) {
  const c = evalCaseSchema.parse(JSON.parse(line));
  const label = c.id ?? `#${i + 1}`;
  const started = performance.now();
  let verdict: string | null;
  let tier = '-';
  try {
    const res = await ask({
      shop_id: c.shop_id,
      question: c.question,
      wait_ms: 10_000,
      ...(c.as_of ? { as_of: c.as_of } : {}),
      ...(c.timezone ? { timezone: c.timezone } : {}),
    });
    const body = res.body;
    tier = typeof body.tier === 'string' ? body.tier : '-';
    if (res.status !== 200)
      verdict = `HTTP ${res.status} ${JSON.stringify(body.error ?? body.status)}`;
    else if (body.status !== 'succeeded')
      verdict = `job ${String(body.status)}: ${JSON.stringify(body.error)}`;
    else verdict = compareAnswer(body.data, c.expect);
  } catch (err) {
    verdict = `request failed: ${(err as Error).message}`;
  }
  const ms = Math.round(performance.now() - started);
  if (verdict === null) passed += 1;
  console.log(
    `${verdict === null ? 'PASS' : 'FAIL'} ${label} [${tier}, ${ms} ms] ${c.question}${verdict ? `\n     ${verdict}` : ''}`,
  );
}
console.log(`\n${passed}/${lines.length} passed`);
process.exitCode = passed === lines.length ? 0 : 1;
