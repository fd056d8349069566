// `npm run db:schemas`: writes prisma/postgresql/schema.prisma from prisma/schema.prisma (see
// src/db/schema-variants.ts). test/db/schema-variants.test.ts fails when the two are out of step.
import { readFileSync, writeFileSync } from 'node:fs';
import { postgresSchemaFrom } from '../src/db/schema-variants.js';

const source = readFileSync('prisma/schema.prisma', 'utf8');
const target = 'prisma/postgresql/schema.prisma';
const next = postgresSchemaFrom(source);
let current = '';
try {
  current = readFileSync(target, 'utf8');
} catch {
  // first run
}
if (current === next) {
  console.log(`${target} is up to date.`);
} else {
  writeFileSync(target, next);
  console.log(`Wrote ${target}; run npm run db:generate to rebuild the PostgreSQL client.`);
}
