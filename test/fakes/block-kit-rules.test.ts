import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { webApi } from '@slack/bolt';
import { FakeSlackApi } from './fake-slack-api.js';
import {
  optionsAnswerProblems,
  unfurlProblems,
  viewProblems,
  viewSubmissionAnswerProblems,
} from './slack/block-kit-rules.js';

const plain = (text: string) => ({ type: 'plain_text', text });
const option = (value: string, text = value) => ({ text: plain(text), value });
const input = (blockId: string) => ({
  type: 'input',
  block_id: blockId,
  label: plain('Comment'),
  element: { type: 'plain_text_input', action_id: blockId },
});
const modal = (blocks: unknown[]) => ({ type: 'modal', title: plain('QM comment'), submit: plain('Post'), blocks });

describe('Block Kit rules, on every surface the app writes', () => {
  it('home tabs: no submit or close (python-slack-sdk View)', () => {
    const home = { type: 'home', submit: plain('Go'), blocks: [{ type: 'divider' }] };
    assert.deepEqual(viewProblems(home, 'home'), ['a home view cannot have submit or close [json-pointer:/view]']);
  });

  it('static menus: options or option_groups, not both; each group within 100 options and a 75-character label', () => {
    const select = {
      type: 'static_select',
      action_id: 'category',
      options: [option('a')],
      option_groups: [
        { label: plain('x'.repeat(76)), options: Array.from({ length: 101 }, (_, i) => option(`g${i}`)) },
      ],
    };
    const problems = viewProblems(modal([{ ...input('category'), element: select }]), 'modal');
    assert.ok(
      problems.some((line) => line.startsWith('must provide either options or option_groups, not both')),
      "problems.some((line) => line.startsWith('must provide either options or option_groups, …",
    );
    const groupsOnly = { ...select, options: undefined };
    assert.deepEqual(viewProblems(modal([{ ...input('category'), element: groupsOnly }]), 'modal'), [
      'must be less than 76 characters [json-pointer:/view/blocks/0/element/option_groups/0/label/text]',
      'must contain between 1 and 100 items [json-pointer:/view/blocks/0/element/option_groups/0/options]',
    ]);
  });

  it('unfurls: blocks held to a message’s rules, keyed by URL', () => {
    const url = 'https://analytics.ytica.com/player/segment/x?a=1&amp;t=2';
    assert.deepEqual(unfurlProblems({ [url]: { blocks: [{ type: 'section', text: plain('ok') }] } }), []);
    assert.deepEqual(unfurlProblems({ [url]: { blocks: [{ type: 'header', text: plain('x'.repeat(151)) }] } }), [
      `must be less than 151 characters [json-pointer:/unfurls/${url.replace(/\//g, '~1')}/blocks/0/text/text]`,
    ]);
    assert.deepEqual(unfurlProblems([]), ['must be an object keyed by URL [json-pointer:/unfurls]']);
  });

  it('response_action answers: views as views.update holds them, errors only on the submitted view’s inputs', () => {
    const submitted = modal([input('comment')]);
    assert.deepEqual(viewSubmissionAnswerProblems(undefined, submitted), []);
    assert.deepEqual(viewSubmissionAnswerProblems({ response_action: 'clear' }, submitted), []);
    assert.deepEqual(
      viewSubmissionAnswerProblems({ response_action: 'errors', errors: { comment: 'Say more' } }, submitted),
      [],
    );
    assert.deepEqual(viewSubmissionAnswerProblems({ response_action: 'errors', errors: { segment: '' } }, submitted), [
      'must be a non-empty string [json-pointer:/errors/segment]',
      'no input block has this block_id [json-pointer:/errors/segment]',
    ]);
    const tooLong = { ...submitted, title: plain('A title far longer than 24') };
    assert.deepEqual(viewSubmissionAnswerProblems({ response_action: 'update', view: tooLong }, submitted), [
      'must be less than 25 characters [json-pointer:/view/title/text]',
    ]);
    assert.deepEqual(viewSubmissionAnswerProblems({ response_action: 'close' }), [
      'must be one of errors, update, push, clear [json-pointer:/response_action]',
    ]);
  });

  it('options answers to block_suggestion: at most 100 options or groups, each option within its limits', () => {
    assert.deepEqual(optionsAnswerProblems({ options: [] }), []);
    assert.deepEqual(optionsAnswerProblems({ options: [option('a'), option('b')] }), []);
    const many = { options: Array.from({ length: 101 }, (_, i) => option(`o${i}`)) };
    assert.deepEqual(optionsAnswerProblems(many), ['must contain no more than 100 items [json-pointer:/options]']);
    assert.deepEqual(
      optionsAnswerProblems({ option_groups: [{ label: plain('A'), options: [option('v'.repeat(151), 'Long')] }] }),
      ['must be less than 151 characters [json-pointer:/option_groups/0/options/0/value]'],
    );
    assert.deepEqual(optionsAnswerProblems({}), ['must provide either options or option_groups [json-pointer:/]']);
  });
});

describe('chat.unfurl in the fake Slack', () => {
  let slack: FakeSlackApi;
  let client: webApi.WebClient;
  before(async () => {
    slack = await FakeSlackApi.start({ scopes: ['links:read', 'links:write'] });
    slack.addChannel({ id: 'C0QA00001', name: 'qa' });
    client = new webApi.WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  });
  after(async () => {
    await slack.close();
  });

  it('refuses unfurl blocks Slack would refuse, with invalid_blocks', async () => {
    slack.addMessage('C0QA00001', { ts: '1763634000.000100', user: 'U0SUPER01', text: 'https://example.com' });
    const bad = { 'https://example.com': { blocks: [{ type: 'section', text: plain('x'.repeat(3001)) }] } };
    await assert.rejects(
      client.chat.unfurl({ channel: 'C0QA00001', ts: '1763634000.000100', unfurls: bad }),
      (error: { data?: { error?: string; errors?: string[] } }) =>
        error.data?.error === 'invalid_blocks' && /json-pointer:\/unfurls\//.test(error.data.errors?.[0] ?? ''),
    );
  });
});
