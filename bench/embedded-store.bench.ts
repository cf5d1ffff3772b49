/**
 * The embedded store against a plain loop, on a shop with 200,000 orders:
 * a date-ranged revenue sum (one month), a category breakdown over a year and
 * the year's top 10 customers by revenue, named (a join with the customers).
 * Reports medians and the ratio to the loop measured in the same run.
 *   npx tsx bench/embedded-store.bench.ts [orders=200000]
 */
import { compileQuery, parseQuestion } from '../src/shared/analytics/index.js';
import { DEMO_SHOPS, generateShop } from '../src/shared/data/demo/index.js';
import { EmbeddedStore } from '../src/shared/data/embedded/embedded-store.js';
import { median, printTable, timeRuns } from './bench-stats.js';

const ORDERS = Number(process.argv[2] ?? 200_000);
const spec = DEMO_SHOPS[0]!;
const endDate = new Date('2026-11-01T00:00:00Z');
const docs = generateShop(spec, { endDate, ordersPerDay: Math.round(ORDERS / 730) });
const shopId = spec.shopId;
const fast = new EmbeddedStore({});
const mingoOnly = new EmbeddedStore({ fastPath: false });
await fast.replaceShop(shopId, docs);
await mingoOnly.replaceShop(shopId, docs);
const orders = docs.order;
console.log(`shop ${shopId}: ${orders.length} orders`);

const from = new Date('2026-10-01T00:00:00Z');
const to = new Date('2026-11-01T00:00:00Z');
const revenuePipeline = [
  {
    $match: {
      shop_id: shopId,
      created_at: { $gte: from, $lt: to },
      status: { $nin: ['cancelled', 'refunded'] },
    },
  },
  { $group: { _id: null, value: { $sum: '$grand_total' } } },
];
// The plain loop a developer would write over the same in-memory orders.
const loopRevenue = () => {
  let sum = 0;
  for (const o of orders) {
    const t = o.created_at.getTime();
    if (
      t >= from.getTime() &&
      t < to.getTime() &&
      o.status !== 'cancelled' &&
      o.status !== 'refunded'
    )
      sum += o.grand_total;
  }
  return sum;
};
// The same loop over only the month's orders, found by binary search as the
// store finds them: the floor no engine can beat.
const monthSlice = orders.filter((o) => o.created_at >= from && o.created_at < to);
const loopRevenueSlice = () => {
  let sum = 0;
  for (const o of monthSlice)
    if (o.status !== 'cancelled' && o.status !== 'refunded') sum += o.grand_total;
  return sum;
};
const asOf = new Date('2026-11-01T00:00:00Z');
const parsed = parseQuestion('revenue by category last year', { asOf, timezone: 'UTC' });
if (!parsed.ok) throw new Error(parsed.reason);
const categoryQuery = compileQuery(parsed.query, shopId);
const loopCategory = () => {
  const start = Date.UTC(2025, 0, 1);
  const end = Date.UTC(2026, 0, 1);
  const byCat = new Map<string, number>();
  for (const o of orders) {
    const t = o.created_at.getTime();
    if (t < start || t >= end || o.status === 'cancelled' || o.status === 'refunded') continue;
    for (const it of o.items)
      byCat.set(
        it.category ?? '',
        (byCat.get(it.category ?? '') ?? 0) + it.quantity * it.unit_price,
      );
  }
  return byCat;
};

const topCustomers = parseQuestion('top 10 customers by revenue last year', {
  asOf,
  timezone: 'UTC',
});
if (!topCustomers.ok) throw new Error(topCustomers.reason);
const customerQuery = compileQuery(topCustomers.query, shopId);
const loopTopCustomers = () => {
  const start = Date.UTC(2025, 0, 1);
  const end = Date.UTC(2026, 0, 1);
  const byCustomer = new Map<string | number | null | undefined, number>();
  for (const o of orders) {
    const t = o.created_at.getTime();
    if (t < start || t >= end || o.status === 'cancelled' || o.status === 'refunded') continue;
    byCustomer.set(o.customer_id, (byCustomer.get(o.customer_id) ?? 0) + o.grand_total);
  }
  return [...byCustomer]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([id, value]) => ({ value, customer: docs.customer.find((c) => c.id === id) }));
};

const RUNS = 30;
const cases: [string, () => unknown, () => Promise<unknown>, () => Promise<unknown>][] = [
  [
    'revenue, one month',
    loopRevenue,
    () => fast.aggregate(shopId, 'order', revenuePipeline),
    () => mingoOnly.aggregate(shopId, 'order', revenuePipeline),
  ],
  [
    'revenue by category, one year',
    loopCategory,
    () => fast.aggregate(shopId, categoryQuery.collection, categoryQuery.pipeline),
    () => mingoOnly.aggregate(shopId, categoryQuery.collection, categoryQuery.pipeline),
  ],
  [
    'top 10 customers by revenue, one year',
    loopTopCustomers,
    () => fast.aggregate(shopId, customerQuery.collection, customerQuery.pipeline),
    () => mingoOnly.aggregate(shopId, customerQuery.collection, customerQuery.pipeline),
  ],
];
const rows: Record<string, string | number>[] = [];
for (const [name, loop, store, reference] of cases) {
  await timeRuns(3, loop);
  await timeRuns(3, store);
  const loopMs = median(await timeRuns(RUNS, loop));
  const storeMs = median(await timeRuns(RUNS, store));
  // mingo joins by scanning the customers once per row: seconds a run.
  const mingoMs = median(await timeRuns(name.includes('customers') ? 3 : 10, reference));
  rows.push({
    query: name,
    'plain loop ms': loopMs,
    'store ms': storeMs,
    'store / loop': storeMs / loopMs,
    'mingo only ms': mingoMs,
    'mingo / loop': mingoMs / loopMs,
  });
}
const sliceMs = median(await timeRuns(RUNS, loopRevenueSlice));
const storeMonthMs = Number(rows[0]!['store ms']);
rows.push({
  query: 'revenue, one month: loop over that month only',
  'plain loop ms': sliceMs,
  'store ms': storeMonthMs,
  'store / loop': storeMonthMs / sliceMs,
  'mingo only ms': Number(rows[0]!['mingo only ms']),
  'mingo / loop': Number(rows[0]!['mingo only ms']) / sliceMs,
});
printTable(`embedded store vs plain loop (${orders.length} orders, medians of ${RUNS})`, rows);
