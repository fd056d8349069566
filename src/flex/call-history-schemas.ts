import { z } from 'zod';
import {
  flexDecimal as decimal,
  flexEpochMillis as epochMillis,
  flexPageMeta as pageMeta,
  flexText as text,
} from './schemas.js';

/*
 * The scorecard answers on a call as a reviewer reads them back (ListInsightsAssessments, the spec's
 * `flex.v1.insights_assessments`, test/contracts/twilio/flex-v1.json), read as tolerantly as comments
 * (src/flex/schemas.ts): every field may be null, numbers come as strings, and `assessment` is untyped in
 * the spec (`{questionnaire: {questionnaire_sid, name, question: {question_sid, name, category: {name}}}}`
 * in Twilio's example). An item without an assessment SID is skipped, never a crash.
 */

/** One answer Flex holds, with who gave it and when: what /qm history shows. */
export interface FlexAnswerRecord {
  assessmentSid: string;
  questionnaireSid: string | null;
  questionnaireName: string | null;
  questionText: string | null;
  categoryName: string | null;
  answerText: string | null;
  offsetSeconds: number | null;
  userName: string | null;
  userEmail: string | null;
  createdAt: Date | null;
}

const ASSESSMENT_SID = /^FM[0-9a-fA-F]{32}$/;

const questionnaireDetails = z
  .object({
    questionnaire: z
      .object({
        questionnaire_sid: text,
        name: text,
        question: z
          .object({
            name: text,
            category: z.object({ name: text, category_name: text }).loose().nullish().catch(null),
          })
          .loose()
          .nullish()
          .catch(null),
      })
      .loose()
      .nullish()
      .catch(null),
  })
  .loose()
  .nullish()
  .catch(null);

const answerRecordSchema = z
  .object({
    assessment_sid: text,
    answer_text: text,
    offset: decimal,
    user_name: text,
    user_email: text,
    timestamp: epochMillis,
    assessment: questionnaireDetails,
  })
  .loose()
  .transform((wire): FlexAnswerRecord | null => {
    if (!wire.assessment_sid || !ASSESSMENT_SID.test(wire.assessment_sid)) return null;
    const questionnaire = wire.assessment?.questionnaire;
    const category = questionnaire?.question?.category;
    return {
      assessmentSid: wire.assessment_sid,
      questionnaireSid: questionnaire?.questionnaire_sid || null,
      questionnaireName: questionnaire?.name || null,
      questionText: questionnaire?.question?.name || null,
      categoryName: category?.name || category?.category_name || null,
      answerText: wire.answer_text,
      offsetSeconds: wire.offset,
      userName: wire.user_name || null,
      userEmail: wire.user_email || null,
      createdAt: wire.timestamp,
    };
  });

export const answerRecordPageSchema = z
  .object({ assessments: z.array(answerRecordSchema), meta: pageMeta })
  .loose()
  .transform((wire) => ({
    items: wire.assessments.filter((answer): answer is FlexAnswerRecord => answer !== null),
    nextPageUrl: wire.meta.nextPageUrl,
  }));
