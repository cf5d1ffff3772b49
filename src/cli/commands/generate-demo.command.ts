import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_SHOPS, generateShop, writeShopDir } from '../../shared/data/demo/index.js';

const USAGE =
  'usage: generate-demo --out <dir> [--shop N] [--end YYYY-MM-DD] [--days N] [--orders-per-day N]\n' +
  '  writes <dir>/shop-<id>/{order,product,customer}.ndjson for each demo shop (or only --shop N)\n' +
  '  --end defaults to the start of today (UTC); orders stop just before it\n';

/**
 * `generate-demo`: writes the demo shops in the canonical import format.
 * Returns the process exit code (0 ok, 2 bad arguments) so the CLI entry point
 * decides how to exit.
 */
export async function generateDemoCommand(args: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        out: { type: 'string' },
        shop: { type: 'string' },
        end: { type: 'string' },
        days: { type: 'string' },
        'orders-per-day': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return usageError((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  const out = values.out;
  if (typeof out !== 'string' || out === '') return usageError('--out <dir> is required');

  let shops = DEMO_SHOPS;
  if (values.shop !== undefined) {
    const id = Number(values.shop);
    shops = DEMO_SHOPS.filter((s) => s.shopId === id);
    if (shops.length === 0) {
      return usageError(
        `no demo shop ${String(values.shop)} (demo shops: ${DEMO_SHOPS.map((s) => s.shopId).join(', ')})`,
      );
    }
  }

  let endDate: Date;
  if (values.end !== undefined) {
    if (typeof values.end !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(values.end))
      return usageError('--end must be YYYY-MM-DD');
    endDate = new Date(`${values.end}T00:00:00.000Z`);
    if (Number.isNaN(endDate.getTime()) || endDate.toISOString().slice(0, 10) !== values.end) {
      return usageError(`--end is not a real date: ${values.end}`);
    }
  } else {
    // The CLI, not the generator, reads the clock: demo data then ends "today",
    // so "last month" questions asked now see the planted effects.
    const now = new Date();
    endDate = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  }

  const days = values.days === undefined ? undefined : Number(values.days);
  if (days !== undefined && (!Number.isInteger(days) || days < 1))
    return usageError('--days must be a positive integer');
  const ordersPerDay =
    values['orders-per-day'] === undefined ? undefined : Number(values['orders-per-day']);
  if (ordersPerDay !== undefined && !(Number.isFinite(ordersPerDay) && ordersPerDay > 0)) {
    return usageError('--orders-per-day must be a positive number');
  }

  for (const spec of shops) {
    const started = performance.now();
    const docs = generateShop(spec, {
      endDate,
      ...(days !== undefined ? { days } : {}),
      ...(ordersPerDay !== undefined ? { ordersPerDay } : {}),
    });
    const dir = join(out, `shop-${spec.shopId}`);
    await writeShopDir(docs, dir);
    const ms = Math.round(performance.now() - started);
    process.stdout.write(
      `shop ${spec.shopId} (${spec.name}): ${docs.order.length} orders, ${docs.product.length} products, ` +
        `${docs.customer.length} customers → ${dir} in ${ms} ms\n`,
    );
  }
  return 0;
}

function usageError(message: string): number {
  process.stderr.write(`generate-demo: ${message}\n${USAGE}`);
  return 2;
}
