/**
 * Flex Insights questionnaires (scorecards) as Twilio's OpenAPI description declares them
 * (twilio/twilio-oai, spec/json/twilio_flex_v1.json): ListInsightsQuestionnaires, FetchInsightsQuestionnaires,
 * ListInsightsQuestionnairesQuestion, ListInsightsQuestionnairesCategory, FetchInsightsSettingsAnswersets,
 * CreateInsightsAssessments, UpdateInsightsAssessments and ListInsightsAssessments.
 */
import type { FlexIdentity } from './credentials.js';
import { type FakeAnswer, FLEX_PUBLIC_BASE, newSid, pythonFloat, twilioError } from './twilio-wire.js';

export const QM_PATH = '/v1/Insights/QualityManagement';
export const QUESTIONNAIRES_PATH = `${QM_PATH}/Questionnaires`;
export const QUESTIONS_PATH = `${QM_PATH}/Questions`;
export const QM_CATEGORIES_PATH = `${QM_PATH}/Categories`;
export const ANSWER_SETS_PATH = `${QM_PATH}/Settings/AnswerSets`;
export const ASSESSMENTS_PATH = `${QM_PATH}/Assessments`;

export interface FakeAnswerOption {
  id: string;
  name: string;
  description: string;
  /** 0 to 100. */
  score: number;
  sort: number;
}

/** An answer set as Settings/AnswerSets lists it. */
export interface FakeAnswerSet {
  id: string;
  name: string;
  type: 'select';
  sort: number;
  category_id: string;
  answers: FakeAnswerOption[];
}

export interface FakeQmCategory {
  category_sid: string;
  name: string;
}

export interface FakeQuestion {
  question_sid: string;
  question: string;
  description: string;
  category: { category_sid: string; category_name: string };
  answer_set_id: string;
  allow_na: boolean;
}

export interface FakeQuestionnaire {
  questionnaire_sid: string;
  name: string;
  description: string;
  active: boolean;
  /** Question SIDs in the questionnaire's order. */
  question_sids: string[];
}

/** What a world's Flex holds for scorecards. */
export interface FakeScorecardCatalog {
  answerSetCategories: Array<{ id: string; name: string; sort: number }>;
  answerSets: FakeAnswerSet[];
  notApplicable: FakeAnswerOption;
  categories: FakeQmCategory[];
  questions: FakeQuestion[];
  questionnaires: FakeQuestionnaire[];
}

/** An answer Flex holds: the spec's `flex.v1.insights_assessments`. */
export interface StoredAnswer {
  account_sid: string;
  assessment_sid: string;
  offset: string;
  report: boolean;
  weight: string;
  agent_id: string;
  segment_id: string;
  user_name: string | null;
  user_email: string | null;
  answer_text: string;
  answer_id: string;
  timestamp: string;
  assessment: {
    questionnaire: {
      questionnaire_sid: string;
      name: string;
      question: { question_sid: string; name: string; category: { category_sid: string; name: string } };
    };
  };
  url: string;
}

const CREATE_REQUIRED = [
  'CategorySid',
  'CategoryName',
  'SegmentId',
  'AgentId',
  'Offset',
  'MetricId',
  'MetricName',
  'AnswerText',
  'AnswerId',
  'QuestionnaireSid',
] as const;
const UPDATE_REQUIRED = ['Offset', 'AnswerText', 'AnswerId'] as const;
const SID_PATTERNS: Record<string, RegExp> = {
  CategorySid: /^FY[0-9a-fA-F]{32}$/,
  MetricId: /^GE[0-9a-fA-F]{32}$/,
  QuestionnaireSid: /^GM[0-9a-fA-F]{32}$/,
};
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

type Page = (items: readonly unknown[], key: string) => FakeAnswer;

/** The questionnaire side of the fake Flex: reads the catalog, keeps the answers created. */
export class FakeScorecards {
  readonly answers: StoredAnswer[] = [];
  catalog: FakeScorecardCatalog = {
    answerSetCategories: [],
    answerSets: [],
    notApplicable: { id: 'na', name: 'N/A', description: 'Not applicable for this call', score: 0, sort: 0 },
    categories: [],
    questions: [],
    questionnaires: [],
  };

  constructor(private readonly accountSid: string) {}

  /** Answers a request under /v1/Insights/QualityManagement, or undefined when the path is not one of these. */
  route(
    request: {
      method: string;
      path: string;
      query: URLSearchParams;
      headers: { 'content-type'?: string | undefined };
      rawBody: string;
    },
    identity: FlexIdentity,
    page: Page,
  ): FakeAnswer | undefined {
    const { method, path } = request;
    const tail = (base: string) => (path.startsWith(`${base}/`) ? path.slice(base.length + 1) : undefined);
    if (path === QUESTIONNAIRES_PATH) {
      if (method !== 'GET') return methodNotAllowed();
      const includeInactive = request.query.get('IncludeInactive') === 'true';
      const listed = this.catalog.questionnaires.filter((q) => includeInactive || q.active);
      return page(
        listed.map((q) => this.questionnaireJson(q)),
        'questionnaires',
      );
    }
    const questionnaireSid = tail(QUESTIONNAIRES_PATH);
    if (questionnaireSid !== undefined) {
      if (method !== 'GET') return methodNotAllowed();
      const found = this.catalog.questionnaires.find((q) => q.questionnaire_sid === questionnaireSid);
      return found ? { status: 200, body: this.questionnaireJson(found) } : notFound(path);
    }
    if (path === QUESTIONS_PATH) {
      if (method !== 'GET') return methodNotAllowed();
      const categorySids = request.query.getAll('CategorySid');
      const listed = this.catalog.questions.filter(
        (q) => categorySids.length === 0 || categorySids.includes(q.category.category_sid),
      );
      return page(
        listed.map((q) => this.questionJson(q, true)),
        'questions',
      );
    }
    if (path === QM_CATEGORIES_PATH) {
      if (method !== 'GET') return methodNotAllowed();
      return page(
        this.catalog.categories.map((c) => ({
          account_sid: this.accountSid,
          ...c,
          url: `${FLEX_PUBLIC_BASE}${QM_CATEGORIES_PATH}/${c.category_sid}`,
        })),
        'categories',
      );
    }
    if (path === ANSWER_SETS_PATH) {
      if (method !== 'GET') return methodNotAllowed();
      return {
        status: 200,
        body: {
          account_sid: this.accountSid,
          answer_sets: this.catalog.answerSets,
          answer_set_categories: this.catalog.answerSetCategories,
          not_applicable: this.catalog.notApplicable,
          url: `${FLEX_PUBLIC_BASE}${ANSWER_SETS_PATH}`,
        },
      };
    }
    if (path === ASSESSMENTS_PATH) {
      if (method === 'POST') return this.create(request, identity);
      if (method === 'GET') {
        const segmentId = request.query.get('SegmentId');
        // ListInsightsAssessments (test/contracts/twilio/flex-v1.json) declares SegmentId and the paging
        // parameters, and says "Assessments done for a conversation by logged in user": only the caller's own.
        const listed = this.answers.filter(
          (a) => (!segmentId || a.segment_id === segmentId) && a.user_email === identity.email,
        );
        return page(listed, 'assessments');
      }
      return methodNotAllowed();
    }
    const assessmentSid = tail(ASSESSMENTS_PATH);
    if (assessmentSid !== undefined && !assessmentSid.includes('/')) {
      if (method !== 'POST') return methodNotAllowed();
      if (!/^FM[0-9a-fA-F]{32}$/.test(assessmentSid)) {
        return twilioError(400, 20001, `Invalid parameter AssessmentSid: ${assessmentSid}`);
      }
      return this.update(assessmentSid, request);
    }
    return undefined;
  }

  private create(
    request: { headers: { 'content-type'?: string | undefined }; rawBody: string },
    identity: FlexIdentity,
  ): FakeAnswer {
    const form = formOf(request);
    if ('rejection' in form) return form.rejection;
    const fields = form.fields;
    for (const name of CREATE_REQUIRED) {
      if (!fields.get(name)) return twilioError(400, 20001, `Missing required parameter ${name} in the post body`);
    }
    for (const [name, pattern] of Object.entries(SID_PATTERNS)) {
      if (!pattern.test(fields.get(name) ?? '')) {
        return twilioError(400, 20001, `Invalid parameter ${name}: must match ${pattern.source}`);
      }
    }
    const offset = offsetOf(fields);
    if (typeof offset !== 'number') return offset;
    const questionnaire = this.catalog.questionnaires.find(
      (q) => q.questionnaire_sid === fields.get('QuestionnaireSid'),
    );
    if (!questionnaire) return twilioError(400, 20001, 'Invalid parameter QuestionnaireSid: no such questionnaire');
    const question = this.catalog.questions.find((q) => q.question_sid === fields.get('MetricId'));
    if (!question || !questionnaire.question_sids.includes(question.question_sid)) {
      return twilioError(400, 20001, 'Invalid parameter MetricId: not a question of this questionnaire');
    }
    const rejected = this.checkAnswer(question, fields.get('AnswerId') ?? '');
    if (rejected) return rejected;
    const sid = newSid('FM');
    const answer: StoredAnswer = {
      account_sid: this.accountSid,
      assessment_sid: sid,
      offset: pythonFloat(offset),
      report: true,
      weight: '1',
      agent_id: fields.get('AgentId') ?? '',
      segment_id: fields.get('SegmentId') ?? '',
      user_name: identity.name,
      user_email: identity.email,
      answer_text: fields.get('AnswerText') ?? '',
      answer_id: fields.get('AnswerId') ?? '',
      timestamp: String(Date.now()),
      assessment: {
        questionnaire: {
          questionnaire_sid: questionnaire.questionnaire_sid,
          name: questionnaire.name,
          question: {
            question_sid: question.question_sid,
            name: fields.get('MetricName') ?? '',
            category: { category_sid: fields.get('CategorySid') ?? '', name: fields.get('CategoryName') ?? '' },
          },
        },
      },
      url: `${FLEX_PUBLIC_BASE}${ASSESSMENTS_PATH}/${sid}`,
    };
    this.answers.push(answer);
    return { status: 201, body: answer };
  }

  private update(
    sid: string,
    request: { headers: { 'content-type'?: string | undefined }; rawBody: string },
  ): FakeAnswer {
    const form = formOf(request);
    if ('rejection' in form) return form.rejection;
    const fields = form.fields;
    for (const name of UPDATE_REQUIRED) {
      if (!fields.get(name)) return twilioError(400, 20001, `Missing required parameter ${name} in the post body`);
    }
    const offset = offsetOf(fields);
    if (typeof offset !== 'number') return offset;
    const answer = this.answers.find((a) => a.assessment_sid === sid);
    if (!answer) return twilioError(404, 20404, `The requested resource ${ASSESSMENTS_PATH}/${sid} was not found`);
    const question = this.catalog.questions.find(
      (q) => q.question_sid === answer.assessment.questionnaire.question.question_sid,
    );
    const rejected = question ? this.checkAnswer(question, fields.get('AnswerId') ?? '') : undefined;
    if (rejected) return rejected;
    answer.answer_id = fields.get('AnswerId') ?? '';
    answer.answer_text = fields.get('AnswerText') ?? '';
    answer.offset = pythonFloat(offset);
    return { status: 200, body: answer };
  }

  private checkAnswer(question: FakeQuestion, answerId: string): FakeAnswer | undefined {
    const set = this.catalog.answerSets.find((s) => s.id === question.answer_set_id);
    const allowed = [
      ...(set?.answers.map((a) => a.id) ?? []),
      ...(question.allow_na ? [this.catalog.notApplicable.id] : []),
    ];
    return allowed.includes(answerId)
      ? undefined
      : twilioError(400, 20001, `Invalid parameter AnswerId: not an answer of question ${question.question_sid}`);
  }

  private questionJson(question: FakeQuestion, withAnswerSet: boolean) {
    const usage = this.catalog.questionnaires.filter((q) => q.question_sids.includes(question.question_sid)).length;
    const set = this.catalog.answerSets.find((s) => s.id === question.answer_set_id);
    return {
      ...(withAnswerSet ? { account_sid: this.accountSid } : {}),
      question: question.question,
      description: question.description,
      category: question.category,
      question_sid: question.question_sid,
      answer_set_id: question.answer_set_id,
      allow_na: question.allow_na,
      usage,
      ...(withAnswerSet
        ? { answer_set: set ?? null, url: `${FLEX_PUBLIC_BASE}${QUESTIONS_PATH}/${question.question_sid}` }
        : {}),
    };
  }

  private questionnaireJson(questionnaire: FakeQuestionnaire) {
    return {
      account_sid: this.accountSid,
      questionnaire_sid: questionnaire.questionnaire_sid,
      name: questionnaire.name,
      description: questionnaire.description,
      active: questionnaire.active,
      questions: questionnaire.question_sids.flatMap((sid) => {
        const question = this.catalog.questions.find((q) => q.question_sid === sid);
        return question ? [this.questionJson(question, false)] : [];
      }),
      url: `${FLEX_PUBLIC_BASE}${QUESTIONNAIRES_PATH}/${questionnaire.questionnaire_sid}`,
    };
  }
}

function formOf(request: {
  headers: { 'content-type'?: string | undefined };
  rawBody: string;
}): { fields: URLSearchParams } | { rejection: FakeAnswer } {
  const contentType = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/x-www-form-urlencoded') {
    return { rejection: twilioError(400, 20001, 'Content-Type must be application/x-www-form-urlencoded') };
  }
  return { fields: new URLSearchParams(request.rawBody) };
}

function offsetOf(fields: URLSearchParams): number | FakeAnswer {
  const text = fields.get('Offset') ?? '';
  const offset = Number(text);
  return DECIMAL.test(text) && Number.isFinite(offset)
    ? offset
    : twilioError(400, 20001, `Invalid parameter Offset: ${text} is not a number`);
}

function methodNotAllowed(): FakeAnswer {
  return twilioError(405, 20004, 'Method not allowed');
}

function notFound(path: string): FakeAnswer {
  return twilioError(404, 20404, `The requested resource ${path} was not found`);
}
