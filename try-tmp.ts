import { parse, shape } from './test/unit/analytics/parse-helpers.js';
const qs = process.argv.slice(2).length ? process.argv.slice(2) : (await import('node:fs')).readFileSync('/tmp/qs.txt','utf8').split('\n').filter(Boolean);
for (const q of qs) {
  const r = parse(q);
  console.log(q.padEnd(55), '→', r.ok ? JSON.stringify(shape(r.query)) : `FAIL ${r.reason}`);
}
