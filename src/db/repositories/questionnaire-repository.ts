import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AnswerChoice, Questionnaire, QuestionnaireSummary } from '../../domain/scorecards/questionnaire.js';
import type { FlexAnswerSets, FlexQuestionnaire } from '../../flex/scorecard-client.js';
import type { PrismaClient } from '../../generated/prisma/client.js';

export interface QuestionnaireSyncReport {
  added: number;
  updated: number;
  deactivated: number;
  unchanged: number;
  /** Questions whose answer set Flex did not list: the questionnaire is kept inactive until it does. */
  unusable: string[];
}

export interface QuestionnaireRow {
  workspaceId: string | null;
  sid: string;
  name: string;
  active: boolean;
  isDefault: boolean;
  questionCount: number;
  syncedAt: Date;
}

const NOT_APPLICABLE_SET = '__not_applicable__';
const SYNC_TRANSACTION = { maxWait: 10_000, timeout: 120_000 };
const answersSchema = z.array(z.object({ id: z.string(), name: z.string(), score: z.number() }));

/**
 * Flex's questionnaires, their questions and the answer sets, kept per Slack workspace ("" is the single
 * workspace of SLACK_BOT_TOKEN), so the scoring form opens from the database inside Slack's 3 seconds.
 */
export class QuestionnaireRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Makes a workspace's questionnaires and answer sets exactly what Flex listed (inactive ones included). */
  async syncFromFlex(
    questionnaires: readonly FlexQuestionnaire[],
    sets: FlexAnswerSets,
    workspaceId: string | null,
    now = new Date(),
  ): Promise<QuestionnaireSyncReport> {
    const workspace = workspaceId ?? '';
    const report: QuestionnaireSyncReport = { added: 0, updated: 0, deactivated: 0, unchanged: 0, unusable: [] };
    const known = new Set(sets.answerSets.map((set) => set.id));
    return this.prisma.$transaction(async (tx) => {
      await tx.answerSet.deleteMany({ where: { slackWorkspaceId: workspace } });
      const rows = sets.answerSets.map((set) => ({
        slackWorkspaceId: workspace,
        answerSetId: set.id,
        name: set.name,
        kind: 'select',
        sort: Math.round(set.sort),
        answers: JSON.stringify(set.answers.map(({ id, name, score }) => ({ id, name, score }))),
      }));
      if (sets.notApplicable) {
        const { id, name } = sets.notApplicable;
        rows.push({
          slackWorkspaceId: workspace,
          answerSetId: NOT_APPLICABLE_SET,
          name,
          kind: 'not_applicable',
          sort: 0,
          answers: JSON.stringify([{ id, name, score: 0 }]),
        });
      }
      await tx.answerSet.createMany({ data: rows });

      const existing = new Map(
        (await tx.questionnaire.findMany({ where: { slackWorkspaceId: workspace } })).map((row) => [row.sid, row]),
      );
      for (const questionnaire of questionnaires) {
        const missing = questionnaire.questions.filter((q) => !known.has(q.answerSetId));
        for (const question of missing) report.unusable.push(`${questionnaire.sid}/${question.sid}`);
        const active = questionnaire.active && missing.length === 0 && questionnaire.questions.length > 0;
        const version = versionOf(questionnaire, sets);
        const row = existing.get(questionnaire.sid);
        const data = {
          name: questionnaire.name,
          description: questionnaire.description,
          active,
          version,
          syncedAt: now,
        };
        if (row && row.version === version && row.name === data.name && row.active === active) {
          report.unchanged += 1;
          continue;
        }
        const saved = row
          ? await tx.questionnaire.update({ where: { id: row.id }, data })
          : await tx.questionnaire.create({ data: { slackWorkspaceId: workspace, sid: questionnaire.sid, ...data } });
        await tx.questionnaireQuestion.deleteMany({ where: { questionnaireId: saved.id } });
        await tx.questionnaireQuestion.createMany({
          data: questionnaire.questions.map((question, position) => ({
            questionnaireId: saved.id,
            position,
            sid: question.sid,
            question: question.text,
            description: question.description,
            categorySid: question.categorySid,
            categoryName: question.categoryName,
            answerSetId: question.answerSetId,
            allowNa: question.allowNa,
          })),
        });
        if (row) report.updated += 1;
        else report.added += 1;
      }
      const listed = new Set(questionnaires.map((q) => q.sid));
      const gone = [...existing.values()].filter((row) => row.active && !listed.has(row.sid));
      if (gone.length > 0) {
        await tx.questionnaire.updateMany({
          where: { id: { in: gone.map((row) => row.id) } },
          data: { active: false },
        });
      }
      report.deactivated = gone.length;
      return report;
      // An account with many questionnaires writes thousands of rows: more than Prisma's default 5 s.
    }, SYNC_TRANSACTION);
  }

  /** The questionnaires a workspace's reviewers choose from: active ones, the default first. */
  async listActive(workspaceId: string | null): Promise<QuestionnaireSummary[]> {
    const rows = await this.prisma.questionnaire.findMany({
      where: { slackWorkspaceId: workspaceId ?? '', active: true },
      include: { _count: { select: { questions: true } } },
      orderBy: [{ isDefault: 'desc' }, { name: 'asc' }],
    });
    return rows.map((row) => ({
      sid: row.sid,
      name: row.name,
      isDefault: row.isDefault,
      questionCount: row._count.questions,
    }));
  }

  /** The workspaces with at least one active questionnaire ("" is the single workspace of SLACK_BOT_TOKEN). */
  async workspacesWithActive(): Promise<string[]> {
    const rows = await this.prisma.questionnaire.findMany({
      where: { active: true },
      select: { slackWorkspaceId: true },
      distinct: ['slackWorkspaceId'],
    });
    return rows.map((row) => row.slackWorkspaceId);
  }

  /** Every questionnaire of one workspace (undefined: of every workspace), for `questionnaires list`. */
  async list(workspaceId?: string | null): Promise<QuestionnaireRow[]> {
    const rows = await this.prisma.questionnaire.findMany({
      ...(workspaceId !== undefined ? { where: { slackWorkspaceId: workspaceId ?? '' } } : {}),
      include: { _count: { select: { questions: true } } },
      orderBy: [{ slackWorkspaceId: 'asc' }, { active: 'desc' }, { name: 'asc' }],
    });
    return rows.map((row) => ({
      workspaceId: row.slackWorkspaceId || null,
      sid: row.sid,
      name: row.name,
      active: row.active,
      isDefault: row.isDefault,
      questionCount: row._count.questions,
      syncedAt: row.syncedAt,
    }));
  }

  /** Makes one questionnaire the workspace's default (pre-selected in the form); false when there is none such. */
  async setDefault(sid: string, workspaceId: string | null): Promise<boolean> {
    const workspace = workspaceId ?? '';
    return this.prisma.$transaction(async (tx) => {
      const found = await tx.questionnaire.findUnique({
        where: { slackWorkspaceId_sid: { slackWorkspaceId: workspace, sid } },
      });
      if (!found) return false;
      await tx.questionnaire.updateMany({ where: { slackWorkspaceId: workspace }, data: { isDefault: false } });
      await tx.questionnaire.update({ where: { id: found.id }, data: { isDefault: true } });
      return true;
    });
  }

  /** One active questionnaire with its questions and their answers, or null. */
  async load(sid: string, workspaceId: string | null): Promise<Questionnaire | null> {
    const workspace = workspaceId ?? '';
    const row = await this.prisma.questionnaire.findUnique({
      where: { slackWorkspaceId_sid: { slackWorkspaceId: workspace, sid } },
      include: { questions: { orderBy: { position: 'asc' } } },
    });
    if (!row?.active) return null;
    const sets = new Map(
      (await this.prisma.answerSet.findMany({ where: { slackWorkspaceId: workspace } })).map((set) => [
        set.answerSetId,
        answersSchema.parse(JSON.parse(set.answers)),
      ]),
    );
    const notApplicable = sets.get(NOT_APPLICABLE_SET)?.[0];
    const questions = row.questions.map((question) => {
      const choices: AnswerChoice[] = (sets.get(question.answerSetId) ?? []).map((a) => ({ ...a }));
      if (question.allowNa && notApplicable)
        choices.push({ id: notApplicable.id, name: notApplicable.name, score: null });
      return {
        sid: question.sid,
        text: question.question,
        description: question.description,
        categorySid: question.categorySid,
        categoryName: question.categoryName,
        choices,
      };
    });
    if (questions.some((question) => question.choices.length === 0)) return null;
    return { sid: row.sid, name: row.name, version: row.version, isDefault: row.isDefault, questions };
  }
}

/** A short digest of what a form depends on: the questions, their order, texts and answers. */
function versionOf(questionnaire: FlexQuestionnaire, sets: FlexAnswerSets): string {
  const used = new Set(questionnaire.questions.map((q) => q.answerSetId));
  const material = JSON.stringify({
    questions: questionnaire.questions,
    sets: sets.answerSets.filter((set) => used.has(set.id)),
    na: sets.notApplicable?.id ?? null,
  });
  return createHash('sha256').update(material).digest('base64url').slice(0, 16);
}
