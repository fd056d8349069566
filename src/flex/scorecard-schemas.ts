import { z } from 'zod';
import { flexDecimal as decimal, flexFlag as flag, flexPageMeta as pageMeta, flexText as text } from './schemas.js';

/*
 * Flex's questionnaire JSON (twilio/twilio-oai, spec/json/twilio_flex_v1.json), read as tolerantly as the
 * comments are (src/flex/schemas.ts): the spec marks every field nullable and leaves `questions`,
 * `category`, `answer_set`, `answer_sets`, `not_applicable` and `assessment` untyped, so what we need of
 * them is checked here and an item without it is skipped, never a crash.
 */

export interface FlexQuestion {
  sid: string;
  text: string;
  description: string | null;
  categorySid: string;
  categoryName: string;
  answerSetId: string;
  allowNa: boolean;
}

export interface FlexQuestionnaire {
  sid: string;
  name: string;
  description: string | null;
  active: boolean;
  questions: FlexQuestion[];
}

export interface FlexAnswerOption {
  id: string;
  name: string;
  description: string | null;
  /** 0 to 100. */
  score: number;
  sort: number;
}

export interface FlexAnswerSet {
  id: string;
  name: string;
  sort: number;
  answers: FlexAnswerOption[];
}

export interface FlexAnswerSets {
  answerSets: FlexAnswerSet[];
  /** The answer a question with allow_na may take instead. */
  notApplicable: FlexAnswerOption | null;
}

/** One answer Flex holds (the spec's `flex.v1.insights_assessments`). */
export interface FlexScorecardAnswer {
  assessmentSid: string;
  segmentId: string | null;
  agentId: string | null;
  answerId: string | null;
  answerText: string | null;
  offsetSeconds: number | null;
  questionnaireSid: string | null;
  questionSid: string | null;
}

const SID = {
  questionnaire: /^GM[0-9a-fA-F]{32}$/,
  question: /^GE[0-9a-fA-F]{32}$/,
  category: /^FY[0-9a-fA-F]{32}$/,
  assessment: /^FM[0-9a-fA-F]{32}$/,
};

const questionSchema = z
  .object({
    question_sid: text,
    question: text,
    description: text,
    category: z.object({ category_sid: text, category_name: text, name: text }).loose().nullish().catch(null),
    answer_set_id: text,
    allow_na: flag,
  })
  .loose()
  .transform((wire): FlexQuestion | null => {
    const categorySid = wire.category?.category_sid;
    if (!wire.question_sid || !SID.question.test(wire.question_sid) || !wire.question || !wire.answer_set_id) {
      return null;
    }
    if (!categorySid || !SID.category.test(categorySid)) return null;
    return {
      sid: wire.question_sid,
      text: wire.question,
      description: wire.description || null,
      categorySid,
      categoryName: wire.category?.category_name || wire.category?.name || 'Other',
      answerSetId: wire.answer_set_id,
      allowNa: wire.allow_na ?? false,
    };
  });

const questionnaireSchema = z
  .object({
    questionnaire_sid: text,
    name: text,
    description: text,
    active: flag,
    questions: z.array(z.unknown()).nullish().catch(null),
  })
  .loose()
  .transform((wire): FlexQuestionnaire | null => {
    if (!wire.questionnaire_sid || !SID.questionnaire.test(wire.questionnaire_sid) || !wire.name) return null;
    const questions = (wire.questions ?? []).flatMap((item) => {
      const parsed = questionSchema.safeParse(item);
      return parsed.success && parsed.data ? [parsed.data] : [];
    });
    return {
      sid: wire.questionnaire_sid,
      name: wire.name,
      description: wire.description || null,
      active: wire.active ?? false,
      questions,
    };
  });

export const questionnairePageSchema = z
  .object({ questionnaires: z.array(questionnaireSchema), meta: pageMeta })
  .loose()
  .transform((wire) => ({
    items: wire.questionnaires.filter((q): q is FlexQuestionnaire => q !== null),
    nextPageUrl: wire.meta.nextPageUrl,
  }));

const answerOptionSchema = z
  .object({ id: text, name: text, description: text, score: decimal, sort: decimal })
  .loose()
  .transform((wire): FlexAnswerOption | null =>
    wire.id && wire.name
      ? {
          id: wire.id,
          name: wire.name,
          description: wire.description || null,
          score: Math.min(100, Math.max(0, wire.score ?? 0)),
          sort: wire.sort ?? 0,
        }
      : null,
  );

const answerSetSchema = z
  .object({ id: text, name: text, sort: decimal, answers: z.array(answerOptionSchema).nullish().catch(null) })
  .loose()
  .transform((wire): FlexAnswerSet | null => {
    const answers = (wire.answers ?? []).filter((a): a is FlexAnswerOption => a !== null);
    if (!wire.id || !wire.name || answers.length === 0) return null;
    return { id: wire.id, name: wire.name, sort: wire.sort ?? 0, answers: answers.sort((a, b) => a.sort - b.sort) };
  });

/** Settings/AnswerSets is one object, not a paged list. */
export const answerSetsSchema = z
  .object({
    answer_sets: z.array(answerSetSchema).nullish().catch(null),
    not_applicable: answerOptionSchema.nullish().catch(null),
  })
  .loose()
  .transform(
    (wire): FlexAnswerSets => ({
      answerSets: (wire.answer_sets ?? []).filter((s): s is FlexAnswerSet => s !== null),
      notApplicable: wire.not_applicable ?? null,
    }),
  );

const assessmentDetails = z
  .object({
    questionnaire: z
      .object({ questionnaire_sid: text, question: z.object({ question_sid: text }).loose().nullish().catch(null) })
      .loose()
      .nullish()
      .catch(null),
  })
  .loose()
  .nullish()
  .catch(null);

export const scorecardAnswerSchema = z
  .object({
    assessment_sid: text,
    segment_id: text,
    agent_id: text,
    answer_id: text,
    answer_text: text,
    offset: decimal,
    assessment: assessmentDetails,
  })
  .loose()
  .transform((wire): FlexScorecardAnswer | null =>
    wire.assessment_sid && SID.assessment.test(wire.assessment_sid)
      ? {
          assessmentSid: wire.assessment_sid,
          segmentId: wire.segment_id,
          agentId: wire.agent_id,
          answerId: wire.answer_id,
          answerText: wire.answer_text,
          offsetSeconds: wire.offset,
          questionnaireSid: wire.assessment?.questionnaire?.questionnaire_sid ?? null,
          questionSid: wire.assessment?.questionnaire?.question?.question_sid ?? null,
        }
      : null,
  );

export const scorecardAnswerPageSchema = z
  .object({ assessments: z.array(scorecardAnswerSchema), meta: pageMeta })
  .loose()
  .transform((wire) => ({
    items: wire.assessments.filter((a): a is FlexScorecardAnswer => a !== null),
    nextPageUrl: wire.meta.nextPageUrl,
  }));
