import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { modalRefined, openModalWithQm, submitModal } from '../helpers/reviewer-story.js';
import { optionsOf } from '../helpers/slack-payloads.js';
import { CATEGORY, eventually, SEGMENT_ID, startTestApp, type TestApp } from '../helpers/test-app.js';

/** 120 comment tags: the world's two and 118 more, the default far past the 100th. */
const TAGS = Array.from({ length: 118 }, (_, i) => ({
  id: `c0ffee00-0000-4000-8000-${String(i).padStart(12, '0')}`,
  name: `Tag ${String(i + 3).padStart(3, '0')}`,
  sort: i + 3,
}));
const DEFAULT_TAG = TAGS[110];
const LAST_TAG = TAGS[117];

type Element = Record<string, unknown> & { initial_option?: { value: string } };

function categoryElement(view: unknown): Element {
  const blocks = (view as { blocks: Array<{ block_id?: string; element?: Element }> }).blocks;
  const element = blocks.find((block) => block.block_id === 'category')?.element;
  assert.ok(element, 'the modal has a category menu');
  return element;
}

describe('a Flex account with more than 100 comment tags', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    for (const tag of TAGS) {
      await t.prisma.category.create({
        data: { ...tag, source: 'flex', active: true, isDefault: tag === DEFAULT_TAG },
      });
    }
    t.flex.setCommentCategories([
      { ...CATEGORY, sort: 1 },
      { id: '9c1b7e2a-0d3f-4a5b-8c6d-7e8f9a0b1c2d', name: 'Compliance', sort: 2 },
      ...TAGS.map((tag) => ({ ...tag, default: tag === DEFAULT_TAG })),
    ]);
    await t.app.catalog.refresh();
  });
  after(async () => {
    await t.close();
  });

  it('offers all 120 in the menu, the default pre-selected, and posts the 120th when chosen', async () => {
    const { viewId } = await openModalWithQm(t, `${SEGMENT_ID} 0:10`);
    await modalRefined(t, viewId);
    const element = categoryElement(t.slack.currentView(viewId));
    const offered = optionsOf(element).map((option) => String(option.value));
    assert.equal(offered.length, 120);
    assert.equal(new Set(offered).size, 120, 'each tag once');
    for (const tag of [CATEGORY, ...TAGS]) assert.ok(offered.includes(tag.id), `${tag.name} can be chosen`);
    assert.equal(element.initial_option?.value, DEFAULT_TAG?.id, 'the account’s default tag is pre-selected');

    const submission = await submitModal(t, viewId, { category: LAST_TAG?.id ?? '', comment: 'The last tag' });
    assert.equal(submission.status, 200, JSON.stringify(submission.json));
    await eventually(async () => assert.equal((await t.prisma.assessment.findFirstOrThrow()).status, 'posted'));
    const posted = t.flex.requests.find((request) => request.method === 'POST');
    assert.match(posted?.rawBody ?? '', new RegExp(`^CategoryId=${LAST_TAG?.id}&CategoryName=Tag%20120&`));
  });
});
