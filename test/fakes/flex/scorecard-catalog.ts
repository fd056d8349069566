/** Questionnaires for a world's Flex, built the same way for the tests, the bench and the sandbox. */
import type { FakeAnswerSet, FakeQmCategory, FakeQuestion, FakeScorecardCatalog } from './scorecards.js';

/** A fixed SID, so a world's questionnaires are the same at every start: `GM000…01`. */
export function fixedSid(prefix: 'GM' | 'GE' | 'FY', n: number): string {
  return `${prefix}${n.toString(16).padStart(32, '0')}`;
}

/** Three answer-set types, as Flex's own examples group them: two options, three options, a rating. */
export const ANSWER_SETS: FakeAnswerSet[] = [
  {
    id: 'a6a8a54f-5305-4aec-b92c-a6e429932f58',
    name: 'Yes, No',
    type: 'select',
    sort: 0,
    category_id: '1a8cac56-826c-4f85-ac14-9104811cf184',
    answers: [
      { id: '4e34f701-8206-4670-b376-c9fe26bb3ca3', name: 'Yes', description: 'Yes.', score: 100, sort: 0 },
      { id: '5e926651-fa5d-4aba-86e1-8440bb8faa6c', name: 'No', description: 'No or a very poor.', score: 0, sort: 1 },
    ],
  },
  {
    id: '675e8803-e7ca-4002-97f6-a29490450b1b',
    name: 'Good, Fair, Poor',
    type: 'select',
    sort: 1,
    category_id: '10c44902-0e6e-46b6-9378-d4665348b4b7',
    answers: [
      { id: '5aa6c6c0-05cf-4952-b9f9-9fdbe18cc79d', name: 'Good', description: 'Good.', score: 100, sort: 0 },
      { id: 'ed8697d3-558d-46c3-9b73-cd21cd93cbb3', name: 'Fair', description: 'Fair.', score: 50, sort: 1 },
      { id: 'd19f1c36-8331-44cc-9944-e94cb39e35e9', name: 'Poor', description: 'Poor.', score: 0, sort: 2 },
    ],
  },
  {
    id: '0f1e2d3c-4b5a-4697-8877-665544332211',
    name: 'Rating 1-5',
    type: 'select',
    sort: 2,
    category_id: '10c44902-0e6e-46b6-9378-d4665348b4b8',
    answers: [1, 2, 3, 4, 5].map((stars) => ({
      id: `7c0d5e1f-0000-4000-8000-00000000000${stars}`,
      name: `${stars} of 5`,
      description: `${stars} star${stars === 1 ? '' : 's'}.`,
      score: (stars - 1) * 25,
      sort: stars - 1,
    })),
  },
];

export const NOT_APPLICABLE = {
  id: '8dc58ae1-16ae-4e17-a357-799d06230fa3',
  name: 'N/A',
  description: 'Not applicable for this call',
  score: 0,
  sort: 0,
};

const CATEGORY_NAMES = ['Greeting', 'Compliance', 'Resolution', 'Soft skills', 'Closing', 'Systems'];

/**
 * A catalog with one questionnaire per entry of `sizes` (each of that many questions, its own questions,
 * every third allowing N/A, answer sets taking turns), named after `names`.
 */
export function scorecardCatalog(
  questionnaires: Array<{ name: string; questions: number; active?: boolean; number: number }>,
): FakeScorecardCatalog {
  const categories: FakeQmCategory[] = CATEGORY_NAMES.map((name, i) => ({ category_sid: fixedSid('FY', i + 1), name }));
  const questions: FakeQuestion[] = [];
  const built = questionnaires.map((q) => {
    const sids: string[] = [];
    for (let i = 0; i < q.questions; i += 1) {
      const category = categories[Math.floor((i * categories.length) / q.questions)] ?? categories[0];
      const set = ANSWER_SETS[i % ANSWER_SETS.length] ?? ANSWER_SETS[0];
      if (!category || !set) throw new Error('no categories or answer sets');
      const sid = fixedSid('GE', q.number * 1000 + i + 1);
      questions.push({
        question_sid: sid,
        question: `${category.name}: question ${i + 1} of ${q.name}?`,
        description: `What a reviewer looks for in question ${i + 1}.`,
        category: { category_sid: category.category_sid, category_name: category.name },
        answer_set_id: set.id,
        allow_na: i % 3 === 2,
      });
      sids.push(sid);
    }
    return {
      questionnaire_sid: fixedSid('GM', q.number),
      name: q.name,
      description: `${q.questions} questions`,
      active: q.active ?? true,
      question_sids: sids,
    };
  });
  return {
    answerSetCategories: [
      { id: '1a8cac56-826c-4f85-ac14-9104811cf184', name: 'Two Options', sort: 1 },
      { id: '10c44902-0e6e-46b6-9378-d4665348b4b7', name: 'Three Options', sort: 2 },
      { id: '10c44902-0e6e-46b6-9378-d4665348b4b8', name: 'Rating', sort: 3 },
    ],
    answerSets: ANSWER_SETS,
    notApplicable: NOT_APPLICABLE,
    categories,
    questions,
    questionnaires: built,
  };
}

/** The tests' and the sandbox's Flex: a 30-question "Customer Experience" and an inactive old one. */
export const STANDARD_SCORECARDS: FakeScorecardCatalog = scorecardCatalog([
  { name: 'Customer Experience', questions: 30, number: 1 },
  { name: 'Old Audit 2024', questions: 4, number: 2, active: false },
]);
