import type { Logger } from '../logging/logger.js';

export type ShutdownStep = { name: string; run: () => Promise<unknown> };

/**
 * The one shutdown routine of a process: on SIGTERM/SIGINT run the steps in
 * order (stop intake, close workers, close clients), then exit; if that takes
 * longer than the deadline, exit anyway so an orchestrator never waits forever.
 */
export function installShutdown(logger: Logger, deadlineMs: number, steps: ShutdownStep[]): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error({ deadlineMs }, 'shutdown deadline passed, exiting');
      process.exit(1);
    }, deadlineMs);
    deadline.unref();
    for (const step of steps) {
      try {
        await step.run();
      } catch (err) {
        logger.warn({ err, step: step.name }, 'shutdown step failed');
      }
    }
    logger.info('shut down');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
