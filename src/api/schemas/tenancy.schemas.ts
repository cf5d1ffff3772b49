import { WEBHOOK_EVENTS } from '../../shared/webhooks/webhook-endpoints.store.js';
import { timezoneSchema } from './ask.schemas.js';
import { z } from './openapi-zod.js';

const shopId = z.number().int().positive();
const timezone = timezoneSchema;

/** Body of POST /api/shops. */
export const createShopSchema = z
  .object({
    shop_id: shopId.optional().openapi({ description: 'Wanted id; default: the next free one.' }),
    name: z.string().trim().min(1).max(200),
    timezone: timezone.optional(),
    currency: z.string().length(3).optional(),
    locale: z.string().min(2).max(35).optional(),
    rate_limit_per_minute: z.number().int().positive().max(100_000).optional(),
    max_queued: z.number().int().positive().max(100_000).optional(),
  })
  .strict()
  .openapi('CreateShop');

/** Body of PATCH /api/shops/{shop_id}. */
export const updateShopSchema = createShopSchema
  .omit({ shop_id: true })
  .partial()
  .strict()
  .openapi('UpdateShop');

export const shopSchema = z
  .object({
    shop_id: shopId,
    name: z.string(),
    timezone: z.string(),
    currency: z.string(),
    locale: z.string(),
    created_at: z.string(),
    rate_limit_per_minute: z.number().int().optional(),
    max_queued: z.number().int().optional(),
  })
  .openapi('Shop');

export const apiKeyInfoSchema = z
  .object({
    key_id: z.string(),
    shop_id: shopId,
    created_at: z.string(),
    expires_at: z
      .string()
      .optional()
      .openapi({ description: 'Set on keys superseded by a rotation.' }),
    label: z.string().optional(),
  })
  .openapi('ApiKey');

export const createdKeySchema = z
  .object({
    api_key: z
      .string()
      .openapi({ description: 'Shown once. Send as `Authorization: Bearer <api_key>`.' }),
    key: apiKeyInfoSchema,
  })
  .openapi('CreatedApiKey');

export const createdShopSchema = z
  .object({
    shop: shopSchema,
    api_key: z.string().openapi({ description: 'Shown once; only its hash is stored.' }),
    key: apiKeyInfoSchema,
    webhook_secret: z
      .string()
      .openapi({ description: 'Signs deliveries to per-question webhook_url (whsec_…).' }),
  })
  .openapi('CreatedShop');

export const createKeySchema = z
  .object({ label: z.string().max(100).optional() })
  .strict()
  .openapi('CreateApiKey');

export const rotateKeySchema = z
  .object({
    grace_seconds: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 3600)
      .optional()
      .openapi({
        description: 'How long the old keys keep working. Default 3600; 0 revokes them at once.',
      }),
    label: z.string().max(100).optional(),
  })
  .strict()
  .openapi('RotateApiKey');

export const shopParamsSchema = z.object({ shop_id: z.coerce.number().int().positive() });
export const keyParamsSchema = shopParamsSchema.extend({ key_id: z.string().max(64) });

/** Body of POST /api/webhooks. */
export const createEndpointSchema = z
  .object({
    shop_id: shopId
      .optional()
      .openapi({ description: 'Only with the admin key (or in open mode).' }),
    url: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .openapi({ example: 'https://shop.example.com/hooks/insights' }),
    events: z
      .array(z.enum(WEBHOOK_EVENTS))
      .min(1)
      .optional()
      .openapi({ description: 'Default: all events.' }),
    description: z.string().max(200).optional(),
  })
  .strict()
  .openapi('CreateWebhookEndpoint');

export const endpointSchema = z
  .object({
    id: z.string(),
    shop_id: shopId,
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENTS)),
    description: z.string().optional(),
    disabled: z.boolean(),
    disabled_reason: z.string().optional(),
    created_at: z.string(),
  })
  .openapi('WebhookEndpoint');

export const createdEndpointSchema = endpointSchema
  .extend({
    secret: z
      .string()
      .openapi({ description: 'whsec_…; shown once. Verify with any Standard Webhooks library.' }),
  })
  .openapi('CreatedWebhookEndpoint');

export const shopQuerySchema = z.object({
  shop_id: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .openapi({ description: 'Admin and open callers name the shop.' }),
});

export const deliveriesQuerySchema = shopQuerySchema.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  job_id: z.string().max(64).optional(),
});

export const deliverySchema = z
  .object({
    delivery_id: z.string(),
    shop_id: shopId,
    message_id: z
      .string()
      .openapi({ description: 'The webhook-id header: equal for retries and replays.' }),
    event_type: z.enum(WEBHOOK_EVENTS),
    job_id: z.string(),
    target: z.object({
      kind: z.enum(['endpoint', 'question_url']),
      endpoint_id: z.string().optional(),
    }),
    url: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    attempts: z.array(
      z.object({
        at: z.string(),
        status_code: z.number().int().optional(),
        error: z.string().optional(),
        duration_ms: z.number(),
        retry_after_ms: z.number().optional(),
      }),
    ),
    payload: z
      .record(z.string(), z.unknown())
      .openapi({ description: '{ type, timestamp, data: the job }' }),
    created_at: z.string(),
    updated_at: z.string(),
    delivered_at: z.string().optional(),
    replay_of: z.string().optional(),
  })
  .openapi('WebhookDelivery');

export const importResultSchema = z
  .object({
    shop_id: shopId,
    counts: z.object({
      order: z.number().int(),
      product: z.number().int(),
      customer: z.number().int(),
    }),
    data_version: z.number().int(),
  })
  .openapi('ImportResult');
