import { FlexBadResponseError, type ScorecardOperation } from './errors.js';
import { encodeForm } from './form-encoding.js';
import type { FlexHttp, FlexHttpResponse } from './http-transport.js';
import { readJson, statusError } from './responses.js';
import {
  answerSetsSchema,
  type FlexAnswerSets,
  type FlexQuestionnaire,
  type FlexScorecardAnswer,
  questionnairePageSchema,
  scorecardAnswerPageSchema,
  scorecardAnswerSchema,
} from './scorecard-schemas.js';
import { type PageBound, type PageSchema, readPages } from './twilio-paging.js';

export type {
  FlexAnswerOption,
  FlexAnswerSet,
  FlexAnswerSets,
  FlexQuestion,
  FlexQuestionnaire,
  FlexScorecardAnswer,
} from './scorecard-schemas.js';

/** Flex Insights' questionnaire paths (twilio/twilio-oai, spec/json/twilio_flex_v1.json). */
const PATHS = {
  questionnaires: '/v1/Insights/QualityManagement/Questionnaires',
  answerSets: '/v1/Insights/QualityManagement/Settings/AnswerSets',
  assessments: '/v1/Insights/QualityManagement/Assessments',
} as const;

/** The spec's largest PageSize. */
const PAGE_SIZE = 1000;
/** 50,000 questionnaires, or answers on one call, is far beyond any contact centre: more means the paging went wrong. */
const ALL_PAGES: PageBound = { maxPages: 50, past: 'fail' };
const ASSESSMENT_SID = /^FM[0-9a-fA-F]{32}$/;

/** One answer to a questionnaire's question, as CreateInsightsAssessments takes it (all ten fields required). */
export interface AnswerToCreate {
  categorySid: string;
  categoryName: string;
  segmentId: string;
  agentId: string;
  offsetSeconds: number;
  /** The question SID (GE…), sent as MetricId. */
  questionSid: string;
  /** The question text, sent as MetricName. */
  questionText: string;
  answerText: string;
  answerId: string;
  questionnaireSid: string;
}

export interface AnswerChange {
  offsetSeconds: number;
  answerText: string;
  answerId: string;
}

export interface ScorecardRequestOptions {
  /** A Flex user's own Authorization value, sent instead of basic auth. */
  authorization?: string | undefined;
}

/** The questionnaire calls of the Flex client (src/flex/flex-client.ts), which makes them over its own transport. */
export interface ScorecardCalls {
  /** Every questionnaire, across all pages; inactive ones too when asked. */
  listQuestionnaires(options?: { includeInactive?: boolean }): Promise<FlexQuestionnaire[]>;
  /** The answer sets and the N/A answer. */
  fetchAnswerSets(): Promise<FlexAnswerSets>;
  /** Creates one answer; resolves only on 201 with an assessment SID. */
  createAnswer(answer: AnswerToCreate, options?: ScorecardRequestOptions): Promise<FlexScorecardAnswer>;
  /** Changes an earlier answer (UpdateInsightsAssessments). */
  updateAnswer(
    assessmentSid: string,
    change: AnswerChange,
    options?: ScorecardRequestOptions,
  ): Promise<FlexScorecardAnswer>;
  /** The answers on a call Flex shows the caller (Flex may show only the caller's own). */
  listAnswers(segmentId: string, options?: ScorecardRequestOptions): Promise<FlexScorecardAnswer[]>;
}

/**
 * The questionnaire half of Flex Insights QM, over the comment client's transport and error model: the
 * Flex client includes these calls, so the app's one instrumented client times and records them too.
 */
export function scorecardCalls(deps: { http: FlexHttp; baseUrl: string; basic: string }): ScorecardCalls {
  const { http, baseUrl, basic } = deps;
  const urlOf = (path: string, query: ReadonlyArray<readonly [string, string | number | undefined]> = []) => {
    const present = query.filter((pair): pair is [string, string | number] => pair[1] !== undefined);
    return present.length === 0 ? `${baseUrl}${path}` : `${baseUrl}${path}?${encodeForm(present)}`;
  };

  async function send(
    operation: ScorecardOperation,
    method: 'GET' | 'POST',
    url: string,
    expected: number,
    authorization: string | undefined,
    form?: string,
  ): Promise<FlexHttpResponse> {
    const response = await http.send({
      operation,
      method,
      url,
      authorization: authorization ?? basic,
      ...(form === undefined ? {} : { form }),
    });
    if (response.status !== expected) throw statusError(response, operation, authorization !== undefined);
    return response;
  }

  /** Every page of a list, all asked for with the same credentials. */
  async function readAll<Item>(
    operation: ScorecardOperation,
    firstUrl: string,
    authorization: string | undefined,
    schema: PageSchema<Item>,
  ): Promise<Item[]> {
    const get = (url: string) => send(operation, 'GET', url, 200, authorization);
    return (await readPages({ operation, baseUrl, firstUrl, get, schema, bound: ALL_PAGES })).items;
  }

  function answerOf(response: FlexHttpResponse, operation: ScorecardOperation): FlexScorecardAnswer {
    const answer = readJson(response, scorecardAnswerSchema, operation);
    if (!answer) {
      throw new FlexBadResponseError({
        operation,
        status: response.status,
        responseBody: response.body,
        detail: 'no assessment_sid',
      });
    }
    return answer;
  }

  return {
    listQuestionnaires(listOptions = {}) {
      const operation = 'listQuestionnaires';
      const url = urlOf(PATHS.questionnaires, [
        ['IncludeInactive', listOptions.includeInactive ? 'true' : undefined],
        ['PageSize', PAGE_SIZE],
      ]);
      return readAll(operation, url, undefined, questionnairePageSchema);
    },

    async fetchAnswerSets() {
      const operation = 'fetchAnswerSets';
      const response = await send(operation, 'GET', urlOf(PATHS.answerSets), 200, undefined);
      return readJson(response, answerSetsSchema, operation);
    },

    async createAnswer(answer, requestOptions = {}) {
      const operation = 'createAnswer';
      // Keys in the order of the spec's CreateInsightsAssessmentsRequest, as twilio-node sends them.
      const form = encodeForm([
        ['CategorySid', answer.categorySid],
        ['CategoryName', answer.categoryName],
        ['SegmentId', answer.segmentId],
        ['AgentId', answer.agentId],
        ['Offset', answer.offsetSeconds],
        ['MetricId', answer.questionSid],
        ['MetricName', answer.questionText],
        ['AnswerText', answer.answerText],
        ['AnswerId', answer.answerId],
        ['QuestionnaireSid', answer.questionnaireSid],
      ]);
      const response = await send(operation, 'POST', urlOf(PATHS.assessments), 201, requestOptions.authorization, form);
      return answerOf(response, operation);
    },

    async updateAnswer(assessmentSid, change, requestOptions = {}) {
      const operation = 'updateAnswer';
      if (!ASSESSMENT_SID.test(assessmentSid)) throw new TypeError('An assessment SID is FM and 32 hex digits.');
      const form = encodeForm([
        ['Offset', change.offsetSeconds],
        ['AnswerText', change.answerText],
        ['AnswerId', change.answerId],
      ]);
      const url = urlOf(`${PATHS.assessments}/${assessmentSid}`);
      const response = await send(operation, 'POST', url, 200, requestOptions.authorization, form);
      return answerOf(response, operation);
    },

    listAnswers(segmentId, requestOptions = {}) {
      const operation = 'listAnswers';
      const url = urlOf(PATHS.assessments, [
        ['SegmentId', segmentId],
        ['PageSize', PAGE_SIZE],
      ]);
      return readAll(operation, url, requestOptions.authorization, scorecardAnswerPageSchema);
    },
  };
}
