import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express, { Router } from 'express';
import type { DataStore } from '../../shared/data/data-store.js';
import { COLLECTIONS, type CollectionName } from '../../shared/data/documents.js';
import { importShop } from '../../shared/data/import/import-shop.js';
import { AppError } from '../../shared/errors/app-error.js';
import type { Queues } from '../../shared/queues/queues.js';
import type { ShopRegistry } from '../../shared/shops/shop-registry.js';
import type { WebhookEndpointStore } from '../../shared/webhooks/webhook-endpoints.store.js';
import { assertCanManageShop, canAdminister } from '../middleware/caller.js';
import { validate } from '../middleware/validate.js';
import {
  createKeySchema,
  createShopSchema,
  keyParamsSchema,
  rotateKeySchema,
  shopParamsSchema,
  updateShopSchema,
} from '../schemas/tenancy.schemas.js';

export interface ShopsRouterDeps {
  shops: ShopRegistry;
  store: DataStore;
  queues: Queues;
  endpoints: WebhookEndpointStore;
}

/** Largest NDJSON import accepted over HTTP; bigger shops import with the CLI. */
export const IMPORT_BODY_LIMIT = '200mb';
const DEFAULT_ROTATION_GRACE_SECONDS = 3600;

function requireAdministrator(req: express.Request): void {
  if (!canAdminister(req)) throw new AppError('FORBIDDEN', 'this needs the admin key');
}

/**
 * Shops and their keys. Creating and listing shops needs the admin key;
 * a shop's own key may read its shop and rotate or revoke its keys; imports
 * and limits are admin-only. In open mode (no ADMIN_API_KEY) the anonymous
 * caller may do all of it for shops that have no key yet.
 */
export function shopsRouter(deps: ShopsRouterDeps): Router {
  const router = Router();

  router.post('/api/shops', async (req, res) => {
    requireAdministrator(req);
    const body = validate(createShopSchema, req.body, 'body', req);
    const { shop_id: wanted, ...fields } = body;
    let shop;
    if (wanted !== undefined) {
      if (await deps.shops.get(wanted))
        throw new AppError(
          'SHOP_EXISTS',
          `shop ${wanted} exists; POST /api/shops/${wanted}/keys issues a key`,
        );
      shop = await deps.shops.upsert({ shop_id: wanted, ...fields });
    } else {
      shop = await deps.shops.createNew(fields);
    }
    const key = await deps.shops.keys.create(shop.shop_id, 'initial');
    const webhookSecret = await deps.endpoints.questionSecret(shop.shop_id);
    res
      .status(201)
      .location(`/api/shops/${shop.shop_id}`)
      .json({ shop, api_key: key.api_key, key: key.info, webhook_secret: webhookSecret });
  });

  router.get('/api/shops', async (req, res) => {
    requireAdministrator(req);
    const ids = await deps.shops.list();
    const shops = (await Promise.all(ids.map((id) => deps.shops.get(id)))).filter(
      (s) => s !== null,
    );
    res.json({ shops });
  });

  router.get('/api/shops/:shop_id', async (req, res) => {
    const { shop_id } = validate(shopParamsSchema, req.params, 'path');
    assertCanManageShop(req, shop_id, { allowShopKey: true });
    const shop = await deps.shops.get(shop_id);
    if (!shop) throw new AppError('SHOP_NOT_FOUND', `unknown shop ${shop_id}`);
    const info = await deps.store.shopInfo(shop_id);
    res.json({
      ...shop,
      data: info ? { counts: info.counts, data_version: info.dataVersion } : null,
    });
  });

  router.patch('/api/shops/:shop_id', async (req, res) => {
    const { shop_id } = validate(shopParamsSchema, req.params, 'path');
    assertCanManageShop(req, shop_id, { allowShopKey: false });
    const body = validate(updateShopSchema, req.body, 'body', req);
    const shop = await deps.shops.get(shop_id);
    if (!shop) throw new AppError('SHOP_NOT_FOUND', `unknown shop ${shop_id}`);
    res.json(await deps.shops.upsert({ ...shop, ...body, shop_id }));
  });

  router.get('/api/shops/:shop_id/keys', async (req, res) => {
    const { shop_id } = validate(shopParamsSchema, req.params, 'path');
    assertCanManageShop(req, shop_id, { allowShopKey: true });
    res.json({ keys: await deps.shops.keys.list(shop_id) });
  });

  router.post('/api/shops/:shop_id/keys', async (req, res) => {
    const { shop_id } = validate(shopParamsSchema, req.params, 'path');
    assertCanManageShop(req, shop_id, { allowShopKey: false });
    const body = validate(createKeySchema, req.body ?? {});
    if (!(await deps.shops.get(shop_id)))
      throw new AppError('SHOP_NOT_FOUND', `unknown shop ${shop_id}`);
    const key = await deps.shops.keys.create(shop_id, body.label);
    res.status(201).json({ api_key: key.api_key, key: key.info });
  });

  router.post('/api/shops/:shop_id/keys/rotate', async (req, res) => {
    const { shop_id } = validate(shopParamsSchema, req.params, 'path');
    assertCanManageShop(req, shop_id, { allowShopKey: true });
    const body = validate(rotateKeySchema, req.body ?? {});
    if (!(await deps.shops.get(shop_id)))
      throw new AppError('SHOP_NOT_FOUND', `unknown shop ${shop_id}`);
    const key = await deps.shops.keys.rotate(
      shop_id,
      body.grace_seconds ?? DEFAULT_ROTATION_GRACE_SECONDS,
      body.label,
    );
    res.status(201).json({ api_key: key.api_key, key: key.info });
  });

  router.delete('/api/shops/:shop_id/keys/:key_id', async (req, res) => {
    const { shop_id, key_id } = validate(keyParamsSchema, req.params, 'path');
    assertCanManageShop(req, shop_id, { allowShopKey: true });
    if (!(await deps.shops.keys.revoke(shop_id, key_id)))
      throw new AppError('NOT_FOUND', `no key ${key_id.slice(0, 64)}`);
    res.status(204).end();
  });

  router.post(
    '/api/shops/:shop_id/import',
    express.text({
      type: ['application/x-ndjson', 'application/jsonl', 'text/plain'],
      limit: IMPORT_BODY_LIMIT,
    }),
    async (req, res) => {
      const { shop_id } = validate(shopParamsSchema, req.params, 'path');
      assertCanManageShop(req, shop_id, { allowShopKey: false });
      if (typeof req.body !== 'string' || req.body.trim() === '') {
        throw new AppError(
          'IMPORT_INVALID',
          'send NDJSON (Content-Type: application/x-ndjson), one {"collection": …, …document} a line',
        );
      }
      const info = await importNdjson(deps, shop_id, req.body);
      res.json({ shop_id, counts: info.counts, data_version: info.dataVersion });
    },
  );

  return router;
}

/**
 * An HTTP import is one NDJSON body whose lines carry their collection
 * (`{"collection":"order", …canonical order}`). It is split into the canonical
 * folder layout and handed to the same importer as the CLI, so validation and
 * the all-or-nothing replace are the same.
 */
async function importNdjson(deps: ShopsRouterDeps, shopId: number, text: string) {
  const files: Record<CollectionName, string[]> = { order: [], product: [], customer: [] };
  let lineNo = 0;
  for (const raw of text.split('\n')) {
    lineNo += 1;
    const line = raw.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new AppError('IMPORT_INVALID', `line ${lineNo}: not valid JSON`);
    }
    const { collection, ...doc } = (value ?? {}) as { collection?: unknown };
    if (
      typeof collection !== 'string' ||
      !(COLLECTIONS as readonly string[]).includes(collection)
    ) {
      throw new AppError(
        'IMPORT_INVALID',
        `line ${lineNo}: "collection" must be one of ${COLLECTIONS.join(', ')}`,
      );
    }
    files[collection as CollectionName].push(JSON.stringify(doc));
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'si-import-'));
  try {
    for (const c of COLLECTIONS) {
      if (files[c].length > 0)
        await writeFile(path.join(dir, `${c}.ndjson`), files[c].join('\n') + '\n');
    }
    return await importShop(deps, shopId, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
