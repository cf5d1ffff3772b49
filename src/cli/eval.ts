import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
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
const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim() !== '');
let passed = 0;
for (const [i, line] of lines.entries()) {
  const c = evalCaseSchema.parse(JSON.parse(line));
  const label = c.id ?? `#${i + 1}`;
  const started = performance.now();
  let verdict: string | null;
  let tier = '-';
  try {
    const res = await fetch(`${values.url}/api/ask`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(values.key ? { authorization: `Bearer ${values.key}` } : {}),
      },
      body: JSON.stringify({
        shop_id: c.shop_id,
        question: c.question,
        wait_ms: 10_000,
        ...(c.as_of ? { as_of: c.as_of } : {}),
        ...(c.timezone ? { timezone: c.timezone } : {}),
      }),
    });
    const body = (await res.json()) as Record<string, unknown>;
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
