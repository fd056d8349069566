import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { driverSqlOf, sql } from '../../src/db/driver-sql.js';
import { openDatabase } from '../../src/db/prisma-client.js';
import { createTestDatabase } from '../helpers/test-app.js';

// The few statements sent straight to the driver must read and write values exactly as Prisma's
// client does, on both databases: booleans, dates, floats, nulls and text that looks like SQL.
for (const kind of ['sqlite', 'postgresql'] as const) {
  describe(`statements sent straight to the driver on ${kind}`, () => {
    it('read every column of a row exactly as Prisma reads it, and write values Prisma reads back', async () => {
      const database = await createTestDatabase(kind);
      const prisma = await openDatabase(database.databaseUrl);
      try {
        const driver = driverSqlOf(prisma);
        const reviewer = await prisma.identity.create({ data: { email: 'r@example.com', flexUserName: 'R' } });
        const when = new Date('2026-11-26T10:11:12.345Z');
        const stored = await prisma.assessment.create({
          data: {
            submissionKey: 'V1',
            reviewerId: reviewer.id,
            categoryId: 'cat',
            categoryName: 'Tone',
            comment: `It's "fine"; DROP TABLE "Assessment"; --`,
            segmentId: 'seg',
            agentId: 'agent',
            offsetSeconds: 12.5,
            slackTeamId: 'T1',
            slackUserId: 'U1',
            source: 'command',
            nextAttemptAt: when,
            outcomeUnknown: true,
          },
        });
        const [read] = await driver.rows<Record<string, unknown>>(
          sql`SELECT * FROM "Assessment" WHERE "id" = ${stored.id}`,
        );
        assert.deepEqual(read, { ...stored });

        const changed = await driver.execute(sql`UPDATE "Assessment"
          SET "postedAt" = ${when}, "outcomeUnknown" = ${false}, "offsetSeconds" = ${7}, "lastError" = ${null},
            "comment" = ${'a ? b $1 c'}
          WHERE "id" = ${stored.id} AND "status" = ${'pending'}`);
        assert.equal(changed, 1);
        const after = await prisma.assessment.findUniqueOrThrow({ where: { id: stored.id } });
        assert.deepEqual(
          {
            postedAt: after.postedAt,
            outcomeUnknown: after.outcomeUnknown,
            offsetSeconds: after.offsetSeconds,
            comment: after.comment,
          },
          { postedAt: when, outcomeUnknown: false, offsetSeconds: 7, comment: 'a ? b $1 c' },
        );
        assert.equal(await driver.execute(sql`UPDATE "Assessment" SET "attempts" = ${1} WHERE "id" = ${'none'}`), 0);
      } finally {
        await prisma.$disconnect();
        await database.dispose();
      }
    });
  });
}
