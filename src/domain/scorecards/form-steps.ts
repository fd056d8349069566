import type { Question } from './questionnaire.js';

/**
 * Slack's limits on one modal (https://api.slack.com/reference/surfaces/views and
 * https://api.slack.com/reference/block-kit/blocks): at most 100 blocks. Each question is one input block
 * and each category one header; the rest of a step (call context, step line, notice, Back, and on the last
 * step the closing comment and its category) takes at most FIXED_BLOCKS. A step also holds at most QUESTIONS_PER_STEP questions, so a page stays readable.
 */
export const MAX_BLOCKS_PER_VIEW = 100;
export const FIXED_BLOCKS = 8;
export const QUESTIONS_PER_STEP = 25;

/** Splits the questions into steps, in order; a category starts a step's header again where it continues. */
export function splitIntoSteps(questions: readonly Question[], perStep = QUESTIONS_PER_STEP): Question[][] {
  const steps: Question[][] = [];
  let current: Question[] = [];
  let blocks = FIXED_BLOCKS;
  let lastCategory: string | undefined;
  for (const question of questions) {
    const header = question.categorySid !== lastCategory ? 1 : 0;
    if (current.length > 0 && (current.length >= perStep || blocks + header + 1 > MAX_BLOCKS_PER_VIEW)) {
      steps.push(current);
      current = [];
      blocks = FIXED_BLOCKS;
      lastCategory = undefined;
    }
    const needsHeader = question.categorySid !== lastCategory ? 1 : 0;
    current.push(question);
    blocks += needsHeader + 1;
    lastCategory = question.categorySid;
  }
  if (current.length > 0) steps.push(current);
  return steps;
}
