import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';

/**
 * One registry for the whole API. Route modules register their paths here with
 * the same zod schemas that validate their requests, so the document cannot
 * drift from the behaviour.
 */
export const registry = new OpenAPIRegistry();

registry.registerComponent('securitySchemes', 'bearer', {
  type: 'http',
  scheme: 'bearer',
  description: 'A shop API key (or the admin key for admin endpoints).',
});
