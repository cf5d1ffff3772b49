import { Router, type Request } from 'express';
import { AppError } from '../../shared/errors/app-error.js';
import type { ShopRegistry } from '../../shared/shops/shop-registry.js';
import { deliveryView } from '../../shared/webhooks/webhook-deliveries.store.js';
import {
  endpointView,
  MAX_ENDPOINTS_PER_SHOP,
} from '../../shared/webhooks/webhook-endpoints.store.js';
import type { WebhookServices } from '../../shared/webhooks/webhook-services.js';
import { checkWebhookUrl } from '../../shared/webhooks/webhook-url.policy.js';
import { shopIdFor } from '../middleware/caller.js';
import { validate } from '../middleware/validate.js';
import {
  createEndpointSchema,
  deliveriesQuerySchema,
  shopQuerySchema,
} from '../schemas/tenancy.schemas.js';

const ENDPOINT_ID = /^ep_[0-9a-f]{16}$/;

/**
 * A shop's webhook endpoints, its delivery log and replay. The shop comes from
 * the key (admin and open callers name it with `shop_id`); ids of another
 * shop's endpoints and deliveries answer 404, like missing ones.
 */
export function webhooksRouter(deps: { shops: ShopRegistry; webhooks: WebhookServices }): Router {
  const router = Router();
  const { endpoints, deliveries, dispatcher, policy } = deps.webhooks;

  async function shopOf(req: Request, given: number | undefined): Promise<number> {
    const shopId = shopIdFor(req, given);
    if (!(await deps.shops.get(shopId)))
      throw new AppError('SHOP_NOT_FOUND', `unknown shop ${shopId}`);
    return shopId;
  }

  router.post('/api/webhooks', async (req, res) => {
    const body = validate(createEndpointSchema, req.body, 'body', req);
    const shopId = await shopOf(req, body.shop_id);
    await checkWebhookUrl(body.url, policy);
    if ((await endpoints.count(shopId)) >= MAX_ENDPOINTS_PER_SHOP) {
      throw new AppError(
        'VALIDATION_FAILED',
        `a shop may have at most ${MAX_ENDPOINTS_PER_SHOP} webhook endpoints`,
      );
    }
    const endpoint = await endpoints.create(shopId, {
      url: body.url,
      ...(body.events ? { events: body.events } : {}),
      ...(body.description ? { description: body.description } : {}),
    });
    res
      .status(201)
      .location(`/api/webhooks/${endpoint.id}`)
      .json({ ...endpointView(endpoint), secret: endpoint.secret });
  });

  router.get('/api/webhooks', async (req, res) => {
    const query = validate(shopQuerySchema, req.query, 'query');
    const shopId = await shopOf(req, query.shop_id);
    res.json({ endpoints: (await endpoints.list(shopId)).map(endpointView) });
  });

  // Per-question webhook_url deliveries are signed with this shop-wide secret.
  router.get('/api/webhooks/question-secret', async (req, res) => {
    const query = validate(shopQuerySchema, req.query, 'query');
    const shopId = await shopOf(req, query.shop_id);
    res.json({ secret: await endpoints.questionSecret(shopId) });
  });

  router.post('/api/webhooks/question-secret/rotate', async (req, res) => {
    const query = validate(shopQuerySchema, req.query, 'query');
    const shopId = await shopOf(req, query.shop_id);
    res.status(201).json({ secret: await endpoints.rotateQuestionSecret(shopId) });
  });

  router.get('/api/webhooks/deliveries', async (req, res) => {
    const query = validate(deliveriesQuerySchema, req.query, 'query');
    const shopId = await shopOf(req, query.shop_id);
    const list = await deliveries.list(
      shopId,
      query.limit,
      query.job_id ? { job_id: query.job_id } : undefined,
    );
    res.json({ deliveries: list.map(deliveryView) });
  });

  router.get('/api/webhooks/deliveries/:delivery_id', async (req, res) => {
    const query = validate(shopQuerySchema, req.query, 'query');
    const shopId = await shopOf(req, query.shop_id);
    const delivery = await deliveries.get(shopId, req.params.delivery_id);
    if (!delivery)
      throw new AppError('NOT_FOUND', `no delivery ${req.params.delivery_id.slice(0, 64)}`);
    res.json(deliveryView(delivery));
  });

  router.post('/api/webhooks/deliveries/:delivery_id/replay', async (req, res) => {
    const query = validate(shopQuerySchema, req.query, 'query');
    const shopId = await shopOf(req, query.shop_id);
    const original = await deliveries.get(shopId, req.params.delivery_id);
    if (!original)
      throw new AppError('NOT_FOUND', `no delivery ${req.params.delivery_id.slice(0, 64)}`);
    if (original.target.kind === 'endpoint') {
      const endpoint = await endpoints.get(shopId, original.target.endpoint_id);
      if (!endpoint) throw new AppError('NOT_FOUND', 'the endpoint of this delivery was deleted');
      if (endpoint.disabled) {
        throw new AppError(
          'VALIDATION_FAILED',
          `endpoint ${endpoint.id} is disabled; POST /api/webhooks/${endpoint.id}/enable first`,
        );
      }
    } else {
      await checkWebhookUrl(original.url, policy);
    }
    const replay = await dispatcher.replay(original);
    res
      .status(202)
      .location(`/api/webhooks/deliveries/${replay.delivery_id}`)
      .json(deliveryView(replay));
  });

  router.post('/api/webhooks/:endpoint_id/enable', async (req, res) => {
    const query = validate(shopQuerySchema, req.query, 'query');
    const shopId = await shopOf(req, query.shop_id);
    const id = req.params.endpoint_id;
    const endpoint = ENDPOINT_ID.test(id) ? await endpoints.setDisabled(shopId, id, false) : null;
    if (!endpoint) throw new AppError('NOT_FOUND', `no webhook endpoint ${id.slice(0, 64)}`);
    res.json(endpointView(endpoint));
  });

  router.delete('/api/webhooks/:endpoint_id', async (req, res) => {
    const query = validate(shopQuerySchema, req.query, 'query');
    const shopId = await shopOf(req, query.shop_id);
    const id = req.params.endpoint_id;
    if (!ENDPOINT_ID.test(id) || !(await endpoints.remove(shopId, id))) {
      throw new AppError('NOT_FOUND', `no webhook endpoint ${id.slice(0, 64)}`);
    }
    res.status(204).end();
  });

  return router;
}
