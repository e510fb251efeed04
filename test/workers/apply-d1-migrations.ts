import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

// Each test file starts with empty storage: D1 gets the schema of storage/migrations, as `wrangler d1 migrations apply` gives it.
await applyD1Migrations(env.DB, env.D1_MIGRATIONS);
