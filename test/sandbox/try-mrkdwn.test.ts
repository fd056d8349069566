/**
 * The try page's mrkdwn, in Node (it is a plain module the browser loads as is): what Slack's client shows
 * of the app's text, and that nothing in a text can become markup of the page.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderDate, renderMrkdwn } from '../../sandbox/try/page/mrkdwn.js';

const names = {
  user: (id: string) => ({ U0REVIEW1: 'rita' })[id],
  channel: (id: string) => ({ C0QA00001: 'qa' })[id],
};

describe('the try page draws mrkdwn as Slack does', () => {
  it('bold, italic, strike and code, at word edges only', () => {
    assert.equal(
      renderMrkdwn('*Compliance* · _at 1:23_ ~old~ `FM12`', names),
      '<b>Compliance</b> · <i>at 1:23</i> <s>old</s> <code>FM12</code>',
    );
    assert.equal(renderMrkdwn('2*3*4 and snake_case_name', names), '2*3*4 and snake_case_name');
  });

  it('links, mentions, channels and quotes', () => {
    assert.equal(
      renderMrkdwn('<@U0REVIEW1> in <#C0QA00001>: <https://flex.twilio.com/x?a=1&amp;b=2|the call>', names),
      '<span class="mention">@rita</span> in <span class="mention">#qa</span>: ' +
        '<a href="https://flex.twilio.com/x?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">the call</a>',
    );
    assert.equal(renderMrkdwn('said:\n>Clear and kind', names), 'said:<br><blockquote>Clear and kind</blockquote>');
  });

  it('dates in the reader’s time zone, the fallback when the format is unknown', () => {
    const now = new Date('2026-12-06T10:00:00Z');
    const shown = renderDate('1795511520^{date_short}', 'fallback', now);
    assert.match(shown, /^[A-Z][a-z]{2} \d{1,2}, 2026$/);
    assert.equal(renderDate('1795511520^{no_such_token}', 'fallback', now), 'fallback');
  });

  it('what people typed stays text: Slack’s escapes, and markup that is not Slack’s', () => {
    assert.equal(
      renderMrkdwn('&lt;img src=x onerror=alert(1)&gt; &amp;', names),
      '&lt;img src=x onerror=alert(1)&gt; &amp;',
    );
    assert.equal(renderMrkdwn('<img src=x onerror=alert(1)>', names), '&lt;img src=x onerror=alert(1)&gt;');
    assert.equal(renderMrkdwn('<javascript:alert(1)|click>', names), '&lt;javascript:alert(1)|click&gt;');
    assert.equal(renderMrkdwn('<@U0REVIEW1|"><b>x</b>>', names).includes('<b>x'), false);
  });
});
