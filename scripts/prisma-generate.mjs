// Runs `prisma generate` for both databases without the native schema engine, which Prisma 7's CLI
// would otherwise try to download: generation does not use it, but the CLI insists on a path that exists.
// Two clients, because the SQL a Prisma client writes is per provider: src/generated/prisma (SQLite)
// and src/generated/prisma-postgresql, from prisma/schema.prisma and prisma/postgresql/schema.prisma.
//
// It runs after every `npm install`/`npm ci`. In a production install (`--omit=dev`) the Prisma CLI is
// not there: when the app was built already (dist/, which holds the compiled clients) there is nothing to
// generate; otherwise the app cannot be built without its dev dependencies, and this says how to.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let prismaCli;
try {
  prismaCli = require.resolve('prisma/build/index.js');
} catch {
  if (existsSync('dist/src/generated/prisma/client.js')) {
    console.log('Prisma CLI not installed (production install): using the database clients built into dist/.');
    process.exit(0);
  }
  console.error(
    'The Prisma CLI (a dev dependency) is not installed, and the app is not built yet (no dist/). Build with the dev dependencies, then drop them: npm ci && npm run build && npm prune --omit=dev',
  );
  process.exit(1);
}
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
};
for (const schema of ['prisma/schema.prisma', 'prisma/postgresql/schema.prisma']) {
  const result = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', schema], { stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
