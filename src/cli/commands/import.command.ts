import { parseArgs } from 'node:util';
import { getConfig } from '../../shared/config/config.js';
import { importShop } from '../../shared/data/import/import-shop.js';
import { createCoreServices } from '../../shared/runtime/core-services.js';

/** `import --shop <id> [--name N] [--timezone Z] <dir>`: replace a shop's data from NDJSON. */
export async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { shop: { type: 'string' }, name: { type: 'string' }, timezone: { type: 'string' } },
  });
  const shopId = Number(values.shop);
  const dir = positionals[0];
  if (!Number.isInteger(shopId) || shopId <= 0 || !dir) {
    console.error('usage: import --shop <id> [--name NAME] [--timezone ZONE] <dir>');
    return 2;
  }
  const core = await createCoreServices(getConfig(), 'cli', 'worker');
  try {
    const info = await importShop(core, shopId, dir, {
      ...(values.name ? { name: values.name } : {}),
      ...(values.timezone ? { timezone: values.timezone } : {}),
    });
    console.log(
      `imported shop ${shopId}: ${info.counts.order} orders, ${info.counts.product} products, ` +
        `${info.counts.customer} customers (data version ${info.dataVersion})`,
    );
    return 0;
  } catch (err) {
    console.error((err as Error).message);
    return 1;
  } finally {
    await core.close();
  }
}
