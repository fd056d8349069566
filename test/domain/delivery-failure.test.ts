import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeFailure } from '../../src/domain/assessments/delivery-failure.js';
import { FlexUnavailableError } from '../../src/flex/errors.js';

const COMMENT = 'Agent promised a refund failure-5521';

describe('a failed delivery attempt, as stored (lastError), logged and told to the reviewer', () => {
  it('keeps a Flex failure’s own words and retry facts', () => {
    const failure = describeFailure(
      new FlexUnavailableError({ operation: 'createComment', status: 503, twilioCode: 20500, responseBody: '{}' }),
    );
    assert.equal(failure.message, 'Flex answered with a server error (HTTP 503, Twilio error 20500)');
    assert.equal(failure.retryable, true);
    assert.equal(failure.errorCode, 'flex_unavailable');
  });

  it('says what a database error said was wrong, never the call it quotes with the comment', () => {
    const error = new Error(
      `\nInvalid \`prisma.assessment.update()\` invocation:\n\n{ data: { comment: "${COMMENT}" } }\n\nArgument \`where\` is missing.`,
    );
    error.name = 'PrismaClientValidationError';
    const failure = describeFailure(error);
    assert.equal(failure.message, 'Argument `where` is missing.');
    assert.equal(failure.outcomeUnknown, true, 'an unknown error may have come after Flex took the comment');
  });
});
