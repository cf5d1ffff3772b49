import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Must run before any schema that carries OpenAPI metadata is built.
extendZodWithOpenApi(z);

export { z };
