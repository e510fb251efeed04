import { z } from 'zod';

/** One readiness check; `/readyz` answers 503 while any is not ok. */
export const ReadinessCheck = z
  .object({ name: z.string(), ok: z.boolean(), detail: z.string().optional() })
  .readonly()
  .meta({ id: 'ReadinessCheck' });
export type ReadinessCheck = z.infer<typeof ReadinessCheck>;
