import type { Config } from '../config/config.js';
import {
  FlexError,
  FlexNetworkError,
  FlexRejectedError,
  FlexUnavailableError,
  isCredentialRefusal,
} from '../flex/errors.js';
import type { FlexClient } from '../flex/flex-client.js';
import type { CheckOutcome } from './startup-refusal.js';

/** The settings that hold the Flex credentials: an API key pair, or the account's SID and Auth Token. */
function credentialSettings(username: string): { names: string; where: string } {
  return username.startsWith('SK')
    ? {
        names: 'TWILIO_API_KEY and TWILIO_API_SECRET',
        where:
          'Create a Standard API key of the Twilio account that runs your Flex (Twilio Console → Account → API keys & tokens) and put its SID (SK…) and secret in them',
      }
    : {
        names: 'TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN',
        where:
          'Copy the Account SID (AC…) and Auth Token of the Twilio account that runs your Flex from the Twilio Console (Account → API keys & tokens) into them',
      };
}

/**
 * One try of a cheap authenticated read (Flex's comment categories, Settings/CommentTags) with the
 * app's credentials: a 401, a 403 or Twilio error 20003 refuses the start.
 */
export async function checkFlexCredentials(
  flex: Pick<FlexClient, 'listCommentCategories'>,
  settings: Config['flex'],
  timeoutMs: number,
): Promise<CheckOutcome<{ categories: number }>> {
  try {
    const categories = await flex.listCommentCategories({ signal: AbortSignal.timeout(timeoutMs) });
    return { kind: 'ok', found: { categories: categories.length } };
  } catch (error) {
    if (error instanceof FlexNetworkError) {
      return {
        kind: 'unreachable',
        detail: error.failure === 'cancelled' ? `no answer within ${timeoutMs} ms` : error.message,
      };
    }
    if (error instanceof FlexUnavailableError) return { kind: 'unreachable', detail: error.message };
    const { names, where } = credentialSettings(settings.username);
    if (isCredentialRefusal(error)) {
      const twilio = error.twilioCode ? `, Twilio error ${error.twilioCode}` : '';
      const detail = `HTTP ${error.status}${twilio}`;
      return {
        kind: 'refused',
        detail,
        paragraph:
          error.status === 403
            ? `Flex refused the Twilio account in ${names} (${detail}): it may not use Flex Insights quality management. Use the credentials of the Twilio account that runs your Flex, or ask your Flex admin to turn on Flex Insights quality management for it, and start the app again.`
            : `Flex refused the Twilio credentials in ${names} (${detail}). ${where}, check for stray spaces, and start the app again.`,
      };
    }
    if (error instanceof FlexRejectedError) {
      return {
        kind: 'warning',
        detail: `HTTP ${error.status}`,
        message: `Flex answered HTTP ${error.status} when asked for its comment categories at ${settings.baseUrl}; check FLEX_API_BASE_URL (leave it unset for Twilio) and that Flex Insights quality management is on for the account. Starting anyway.`,
      };
    }
    if (error instanceof FlexError) {
      return {
        kind: 'warning',
        detail: error.code,
        message: `Flex's answer to the comment categories read was not usable (${error.message}); check FLEX_API_BASE_URL. Starting anyway.`,
      };
    }
    throw error;
  }
}
