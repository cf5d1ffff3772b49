import { Router, type Request } from 'express';
import { AppError } from '../../shared/errors/app-error.js';
import { publicView, type JobRecord } from '../../shared/results/job-record.js';
import type { ResultsStore } from '../../shared/results/results-store.js';
import { canAccessShop } from '../middleware/caller.js';

const JOB_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Load a job the caller may see. Another shop's job answers exactly like a
 * missing one, so a key cannot learn which job ids exist elsewhere.
 */
export async function loadJob(
  results: ResultsStore,
  req: Request,
  jobId: string,
): Promise<JobRecord> {
  const record = JOB_ID.test(jobId) ? await results.get(jobId) : null;
  if (!record || !canAccessShop(req, record.shop_id)) {
    throw new AppError('JOB_NOT_FOUND', `no job ${jobId.slice(0, 64)}`);
  }
  return record;
}

export function jobsRouter(deps: { results: ResultsStore }): Router {
  const router = Router();
  router.get('/api/jobs/:job_id', async (req, res) => {
    const record = await loadJob(deps.results, req, req.params.job_id);
    res.json(publicView(record));
  });
  return router;
}
