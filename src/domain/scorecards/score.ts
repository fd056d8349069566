/**
 * The score the app shows: the mean of the answered questions' scores (each 0-100), N/A left out, per
 * category and overall. Flex Insights computes its own (weights and all); Twilio does not publish how,
 * so the app labels this one as its own calculation.
 */
export interface ScoredAnswer {
  categorySid: string;
  categoryName: string;
  /** null: N/A. */
  score: number | null;
}

export interface ScoreSummary {
  /** null when every answer was N/A. */
  overall: number | null;
  answered: number;
  notApplicable: number;
  categories: Array<{ categoryName: string; score: number | null; answered: number; notApplicable: number }>;
}

export function scoreOf(answers: readonly ScoredAnswer[]): ScoreSummary {
  const categories = new Map<string, { categoryName: string; scores: number[]; notApplicable: number }>();
  const all: number[] = [];
  let notApplicable = 0;
  for (const answer of answers) {
    let category = categories.get(answer.categorySid);
    if (!category) {
      category = { categoryName: answer.categoryName, scores: [], notApplicable: 0 };
      categories.set(answer.categorySid, category);
    }
    if (answer.score === null) {
      category.notApplicable += 1;
      notApplicable += 1;
    } else {
      category.scores.push(answer.score);
      all.push(answer.score);
    }
  }
  return {
    overall: mean(all),
    answered: all.length,
    notApplicable,
    categories: [...categories.values()].map((c) => ({
      categoryName: c.categoryName,
      score: mean(c.scores),
      answered: c.scores.length,
      notApplicable: c.notApplicable,
    })),
  };
}

/** A score as people read it: one decimal at most, "n/a" when nothing was scored. */
export function formatScore(score: number | null): string {
  if (score === null) return 'n/a';
  return `${Math.round(score * 10) / 10}%`;
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
}
