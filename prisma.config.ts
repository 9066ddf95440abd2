// The schema engine is never needed for `prisma generate`; pointing it anywhere stops
// the CLI from trying to download one on an offline machine. Migrations are applied by
// src/store/migrations.ts instead of `prisma migrate` (see README).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= '/bin/false';

import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
