import { errorBodySchema } from '../schemas/ask.schemas.js';
import { z } from '../schemas/openapi-zod.js';
import {
  apiKeyInfoSchema,
  createdEndpointSchema,
  createdKeySchema,
  createdShopSchema,
  createEndpointSchema,
  createKeySchema,
  createShopSchema,
  deliveriesQuerySchema,
  deliverySchema,
  endpointSchema,
  importResultSchema,
  rotateKeySchema,
  shopQuerySchema,
  shopSchema,
  updateShopSchema,
} from '../schemas/tenancy.schemas.js';
import { registry } from './openapi-registry.js';

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: errorBodySchema } },
});
const json = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } } },
});
const security = [{ bearer: [] }];
const shopParams = z.object({ shop_id: z.number().int().positive() });
const auth = {
  401: error('Missing, wrong, revoked or expired key'),
  403: error("Another shop's key, or not the admin key"),
};

const AUTH_MODEL = `
Keys are sent as \`Authorization: Bearer <key>\`. With \`ADMIN_API_KEY\` set every call needs the admin key
or a shop key (the shop comes from the key; a disagreeing \`shop_id\` is 403; another shop's job or delivery
is 404, like a missing one). Without it the deployment is open for local use: anonymous calls name the shop,
until that shop gets a key; from then on its calls need the key.`;

registry.registerPath({
  method: 'post',
  path: '/api/shops',
  summary: 'Create a shop (admin)',
  description:
    'Returns the shop, its first API key (shown once; stored hashed) and its webhook secret.' +
    AUTH_MODEL,
  security,
  request: body(createShopSchema),
  responses: { 201: json('Created', createdShopSchema), 409: error('SHOP_EXISTS'), ...auth },
});
registry.registerPath({
  method: 'get',
  path: '/api/shops',
  summary: 'List shops (admin)',
  security,
  responses: { 200: json('Shops', z.object({ shops: z.array(shopSchema) })), ...auth },
});
registry.registerPath({
  method: 'get',
  path: '/api/shops/{shop_id}',
  summary: 'Read a shop (admin or its own key)',
  security,
  request: { params: shopParams },
  responses: {
    200: json('The shop and its data version', shopSchema),
    404: error('SHOP_NOT_FOUND'),
    ...auth,
  },
});
registry.registerPath({
  method: 'patch',
  path: '/api/shops/{shop_id}',
  summary: 'Change a shop, e.g. its rate limit or queue cap (admin)',
  security,
  request: { params: shopParams, ...body(updateShopSchema) },
  responses: { 200: json('The shop', shopSchema), 404: error('SHOP_NOT_FOUND'), ...auth },
});
registry.registerPath({
  method: 'get',
  path: '/api/shops/{shop_id}/keys',
  summary: "List a shop's keys (admin or its own key)",
  security,
  request: { params: shopParams },
  responses: {
    200: json('Keys, without secrets', z.object({ keys: z.array(apiKeyInfoSchema) })),
    ...auth,
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/shops/{shop_id}/keys',
  summary: 'Issue another key (admin)',
  security,
  request: { params: shopParams, ...body(createKeySchema) },
  responses: { 201: json('The key, shown once', createdKeySchema), ...auth },
});
registry.registerPath({
  method: 'post',
  path: '/api/shops/{shop_id}/keys/rotate',
  summary: 'Rotate keys (admin or its own key)',
  description:
    'Issues a new key; the existing keys keep working for `grace_seconds` (default 3600, 0: revoked at once).',
  security,
  request: { params: shopParams, ...body(rotateKeySchema) },
  responses: { 201: json('The new key, shown once', createdKeySchema), ...auth },
});
registry.registerPath({
  method: 'delete',
  path: '/api/shops/{shop_id}/keys/{key_id}',
  summary: 'Revoke a key at once (admin or its own key)',
  security,
  request: { params: shopParams.extend({ key_id: z.string() }) },
  responses: { 204: { description: 'Revoked' }, 404: error('No such key'), ...auth },
});
registry.registerPath({
  method: 'post',
  path: '/api/shops/{shop_id}/import',
  summary: "Replace a shop's data (admin)",
  description:
    'NDJSON (`Content-Type: application/x-ndjson`), one canonical document a line with its collection: ' +
    '`{"collection":"order", …}`. All or nothing; bumps the data version, which retires every cached answer of the shop.',
  security,
  request: {
    params: shopParams,
    body: { content: { 'application/x-ndjson': { schema: z.string() } } },
  },
  responses: { 200: json('Imported', importResultSchema), 400: error('IMPORT_INVALID'), ...auth },
});

const WEBHOOKS = `
Deliveries follow Standard Webhooks: headers \`webhook-id\`, \`webhook-timestamp\`, \`webhook-signature\`
(\`v1,\` + base64 HMAC-SHA256 of \`id.timestamp.body\`), body \`{ type, timestamp, data }\` with events
\`question.succeeded\` and \`question.failed\`. Non-2xx answers are retried for about a day on a jittered
exponential schedule that honours \`Retry-After\`; \`410 Gone\` disables the endpoint. URLs must be https and
resolve to public addresses.`;

registry.registerPath({
  method: 'post',
  path: '/api/webhooks',
  summary: 'Register a webhook endpoint',
  description: 'Returns the endpoint with its `whsec_` secret (shown once).' + WEBHOOKS,
  security,
  request: body(createEndpointSchema),
  responses: {
    201: json('Created', createdEndpointSchema),
    400: error('WEBHOOK_URL_NOT_ALLOWED'),
    ...auth,
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/webhooks',
  summary: "List the shop's endpoints",
  security,
  request: { query: shopQuerySchema },
  responses: { 200: json('Endpoints', z.object({ endpoints: z.array(endpointSchema) })), ...auth },
});
registry.registerPath({
  method: 'delete',
  path: '/api/webhooks/{endpoint_id}',
  summary: 'Delete an endpoint',
  security,
  request: { params: z.object({ endpoint_id: z.string() }), query: shopQuerySchema },
  responses: { 204: { description: 'Deleted' }, 404: error('NOT_FOUND'), ...auth },
});
registry.registerPath({
  method: 'post',
  path: '/api/webhooks/{endpoint_id}/enable',
  summary: 'Enable an endpoint again (after a 410)',
  security,
  request: { params: z.object({ endpoint_id: z.string() }), query: shopQuerySchema },
  responses: { 200: json('The endpoint', endpointSchema), 404: error('NOT_FOUND'), ...auth },
});
registry.registerPath({
  method: 'get',
  path: '/api/webhooks/question-secret',
  summary: 'The secret that signs deliveries to per-question webhook_url',
  security,
  request: { query: shopQuerySchema },
  responses: { 200: json('The secret', z.object({ secret: z.string() })), ...auth },
});
registry.registerPath({
  method: 'post',
  path: '/api/webhooks/question-secret/rotate',
  summary: 'Replace the per-question webhook secret',
  security,
  request: { query: shopQuerySchema },
  responses: { 201: json('The new secret', z.object({ secret: z.string() })), ...auth },
});
registry.registerPath({
  method: 'get',
  path: '/api/webhooks/deliveries',
  summary: "The shop's delivery log, newest first",
  security,
  request: { query: deliveriesQuerySchema },
  responses: {
    200: json('Deliveries', z.object({ deliveries: z.array(deliverySchema) })),
    ...auth,
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/webhooks/deliveries/{delivery_id}',
  summary: 'One delivery with every attempt',
  security,
  request: { params: z.object({ delivery_id: z.string() }), query: shopQuerySchema },
  responses: { 200: json('The delivery', deliverySchema), 404: error('NOT_FOUND'), ...auth },
});
registry.registerPath({
  method: 'post',
  path: '/api/webhooks/deliveries/{delivery_id}/replay',
  summary: 'Send a delivery again',
  description: 'A new delivery with the same `webhook-id` and body, so receivers can deduplicate.',
  security,
  request: { params: z.object({ delivery_id: z.string() }), query: shopQuerySchema },
  responses: { 202: json('Queued', deliverySchema), 404: error('NOT_FOUND'), ...auth },
});
