/** Gives the app's database a world's categories and people, as `categories sync` and `identities add` would. */
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import type { World } from './world.js';

/** Idempotent: rows are keyed by category id and by email, so seeding again changes nothing. */
export async function seedDatabase(
  prisma: PrismaClient,
  world: World,
  options: { people?: boolean } = {},
): Promise<void> {
  for (const [index, category] of world.categories.entries()) {
    const row = { name: category.name, sort: category.sort ?? index + 1, source: 'flex', active: true };
    await prisma.category.upsert({ where: { id: category.id }, create: { id: category.id, ...row }, update: row });
  }
  if (options.people === false) return;
  for (const person of world.people) {
    if (!person.role) continue;
    const row = {
      flexUserName: person.name,
      slackUserId: person.userId,
      slackTeamId: world.team.id,
      role: person.role,
      agentId: person.agentId ?? null,
      teamName: person.teamName ?? null,
      flexWorkerSid: person.workerSid ?? null,
      active: true,
    };
    await prisma.identity.upsert({
      // The single workspace of SLACK_BOT_TOKEN is the "" workspace.
      where: { slackWorkspaceId_email: { slackWorkspaceId: '', email: person.email } },
      create: { email: person.email, ...row },
      update: row,
    });
  }
}
