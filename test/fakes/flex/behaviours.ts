/** Which requests a scripted behaviour applies to; without these, the next request of any kind. */
export interface BehaviourTarget {
  method?: 'GET' | 'POST';
  /** The exact path, e.g. /v1/Insights/Segments. */
  path?: string;
}

/** What one request gets instead of Flex's normal answer. */
export type FlexBehaviour = BehaviourTarget &
  (
    | {
        /** Answer with exactly this; by default nothing is processed (no comment is created). */
        status: number;
        body?: string;
        /** Added to Twilio's usual headers; content-type defaults to application/json. */
        headers?: Record<string, string>;
        /** Do the work first, then give this answer (e.g. a comment created behind an empty 201). */
        processed?: boolean;
        /** Send the headers and the first half of the body, then the rest only after this long. */
        bodyDelayMs?: number;
      }
    /** Do the work at once but answer only after this long (the client's timeout fires first). */
    | { delayMs: number }
    /**
     * The request waits this long in front of Flex (a busy load balancer) before the work is done, and
     * the answer never comes: the client gives up first, and Flex does the work afterwards.
     */
    | { processAfterMs: number }
    /** Do the work (a POST creates the comment), then drop the connection without answering. */
    | { resetAfterProcessing: true }
    /** Drop the connection without doing anything. */
    | { resetBeforeProcessing: true }
  );

/** An error page from something in front of Flex (a load balancer, a proxy). */
export function htmlErrorPage(status: number, target: BehaviourTarget = {}): FlexBehaviour {
  return {
    ...target,
    status,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<html><head><title>${status}</title></head><body><h1>${status} Error</h1></body></html>`,
  };
}

/** Twilio's concurrency limit (error 20429); the request was not processed. */
export function tooManyRequests(retryAfter?: string, target: BehaviourTarget = {}): FlexBehaviour {
  return {
    ...target,
    status: 429,
    body: JSON.stringify({
      code: 20429,
      message: 'Too Many Requests',
      more_info: 'https://www.twilio.com/docs/errors/20429',
      status: 429,
    }),
    ...(retryAfter === undefined ? {} : { headers: { 'retry-after': retryAfter } }),
  };
}

/** A Twilio error answer with its classic JSON body. */
export function twilioErrorAnswer(
  status: number,
  code: number,
  message: string,
  target: BehaviourTarget = {},
): FlexBehaviour {
  return {
    ...target,
    status,
    body: JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }),
  };
}

export function appliesTo(behaviour: BehaviourTarget, request: { method: string; path: string }): boolean {
  return (
    (!behaviour.method || behaviour.method === request.method) && (!behaviour.path || behaviour.path === request.path)
  );
}
