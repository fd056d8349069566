/** A questionnaire as the scoring form shows it: its questions in order, each with the answers it takes. */

export interface AnswerChoice {
  id: string;
  name: string;
  /** 0 to 100; null for N/A, which the score leaves out. */
  score: number | null;
}

export interface Question {
  sid: string;
  text: string;
  description: string | null;
  categorySid: string;
  categoryName: string;
  /** The answer set's answers, then N/A where the question allows it. */
  choices: AnswerChoice[];
}

export interface Questionnaire {
  sid: string;
  name: string;
  /** Changes whenever Flex's questions, their order or their answers change. */
  version: string;
  isDefault: boolean;
  questions: Question[];
}

export interface QuestionnaireSummary {
  sid: string;
  name: string;
  isDefault: boolean;
  questionCount: number;
}

/** The questions grouped by category, in the order each category first appears. */
export function groupByCategory<T extends { categorySid: string; categoryName: string }>(
  questions: readonly T[],
): Array<{ categorySid: string; categoryName: string; items: T[] }> {
  const groups = new Map<string, { categorySid: string; categoryName: string; items: T[] }>();
  for (const question of questions) {
    let group = groups.get(question.categorySid);
    if (!group) {
      group = { categorySid: question.categorySid, categoryName: question.categoryName, items: [] };
      groups.set(question.categorySid, group);
    }
    group.items.push(question);
  }
  return [...groups.values()];
}
