import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { getConfig } from '../../shared/config/config.js';
import { DEMO_SHOPS, generateShop } from '../../shared/data/demo/index.js';
import { importDocuments, importShop } from '../../shared/data/import/import-shop.js';
import { createCoreServices } from '../../shared/runtime/core-services.js';

const NORTHWIND_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../test/fixtures/northwind',
);

/**
 * `seed-demo [--end YYYY-MM-DD] [--if-empty]`: load the demo shops (generated,
 * ending yesterday by default, so "last month" has data) and Northwind as shop 2.
 */
export async function seedDemoCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { end: { type: 'string' }, 'if-empty': { type: 'boolean', default: false } },
  });
  const endDate = values.end ? new Date(`${values.end}T23:59:59.999Z`) : new Date();
  if (Number.isNaN(endDate.getTime())) {
    console.error('--end must be a date such as 2026-11-22');
    return 2;
  }
  const core = await createCoreServices(getConfig(), 'cli', 'worker');
  try {
    const existing = new Set(await core.store.listShops());
    for (const spec of DEMO_SHOPS) {
      if (values['if-empty'] && existing.has(spec.shopId) && (await core.shops.get(spec.shopId)))
        continue;
      const started = performance.now();
      const docs = generateShop(spec, { endDate });
      const info = await importDocuments(core, spec.shopId, docs, {
        name: spec.name,
        timezone: spec.timezone,
      });
      console.log(
        `shop ${spec.shopId} (${spec.name}): ${info.counts.order} orders in ${Math.round(performance.now() - started)} ms`,
      );
    }
    if (!(values['if-empty'] && existing.has(2) && (await core.shops.get(2)))) {
      const info = await importShop(core, 2, NORTHWIND_DIR, {
        name: 'Northwind Traders',
        timezone: 'UTC',
      });
      console.log(`shop 2 (Northwind Traders): ${info.counts.order} orders`);
    }
    return 0;
  } finally {
    await core.close();
  }
}
