// Runs `prisma generate` for both databases without the native schema engine, which Prisma 7's CLI
// would otherwise try to download: generation does not use it, but the CLI insists on a path that exists.
// Two clients, because the SQL a Prisma client writes is per provider: src/generated/prisma (SQLite)
// and src/generated/prisma-postgresql, from prisma/schema.prisma and prisma/postgresql/schema.prisma.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const prismaCli = require.resolve('prisma/build/index.js');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
};
for (const schema of ['prisma/schema.prisma', 'prisma/postgresql/schema.prisma']) {
  const result = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', schema], { stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
