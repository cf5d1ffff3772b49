import path from 'node:path';
import express, { Router, type Response } from 'express';

/** The console's static files: plain HTML, CSS and ES modules, no build step. */
export const CONSOLE_DIR = path.join(import.meta.dirname, 'public');

/**
 * Same-origin only: no inline script or style, no third-party anything, so an
 * answer or question rendered into the page cannot run code or leak the key.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * GET / and /console/*: the web console for shop staff. Mounted before the
 * /api auth middleware: the page itself is public, every call it makes
 * carries the key the user signed in with.
 */
export function consoleRouter(): Router {
  const router = Router();
  const headers = (res: Response) => {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
  };
  // Assets live under /console/ so API requests never touch the file system.
  const assets = express.static(CONSOLE_DIR, {
    index: false,
    // Small files: revalidate on every load (ETag → 304) so a deploy shows at once.
    maxAge: 0,
    setHeaders: headers,
  });
  router.get('/', (req, res, next) => {
    headers(res);
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile('index.html', { root: CONSOLE_DIR }, (err?: Error) => {
      if (err) next(err);
    });
  });
  router.use('/console', assets);
  return router;
}
