import { Router } from 'express';
import { AppError } from '../../shared/errors/app-error.js';
import { publicView } from '../../shared/results/job-record.js';
import type { ShopRegistry } from '../../shared/shops/shop-registry.js';
import { shopIdFor } from '../middleware/caller.js';
import { requestShop } from '../middleware/request-shop.js';
import { validate } from '../middleware/validate.js';
import { askRequestSchema } from '../schemas/ask.schemas.js';
import type { QuestionService } from '../services/question.service.js';

export function askRouter(deps: { shops: ShopRegistry; questions: QuestionService }): Router {
  const router = Router();
  router.post('/api/ask', async (req, res) => {
    const body = validate(askRequestSchema, req.body, 'body', req);
    const shopId = shopIdFor(req, body.shop_id);
    const shop = await requestShop(req, deps.shops, shopId);
    if (!shop) throw new AppError('SHOP_NOT_FOUND', `unknown shop ${shopId}`);
    const { record, finished } = await deps.questions.submit(shop, body, {
      requestId: typeof req.id === 'string' ? req.id : JSON.stringify(req.id),
      ...(req.questionQuota ? { quota: req.questionQuota } : {}),
      ...(req.get('idempotency-key')
        ? { idempotencyKey: req.get('idempotency-key')!.slice(0, 255) }
        : {}),
    });
    if (finished) {
      res.status(200).json(publicView(finished));
      return;
    }
    res
      .status(202)
      .location(`/api/jobs/${record.job_id}`)
      .json({
        job_id: record.job_id,
        status: 'queued',
        tier: record.tier,
        status_url: `/api/jobs/${record.job_id}`,
      });
  });
  return router;
}
