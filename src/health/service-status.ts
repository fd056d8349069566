/**
 * What the app last heard from Flex and from Slack: the start-up checks write it first, then every call
 * does. /readyz shows it, and the segment look-up reads it to tell a reviewer that the app's own Flex
 * credentials are refused rather than that Flex did not answer.
 */
export type CallResult =
  /** The service answered the call as it should. */
  | 'ok'
  /** The service answered but refused or rejected this one call (a 400, a Slack error such as channel_not_found). */
  | 'answered_error'
  /** The service refused the app's own credentials (Flex 401/403, Slack invalid_auth and the like). */
  | 'refused'
  /** No answer, a timeout, a 5xx or a 429. */
  | 'unreachable';

export interface LastCall {
  result: CallResult;
  /** The Flex operation or Slack method. */
  call: string;
  at: Date;
  /** HTTP status, Twilio error code or Slack error: what the service said, never a secret. */
  detail: string | undefined;
}

export type ServiceName = 'flex' | 'slack';

export class ServiceStatus {
  private readonly last: Partial<Record<ServiceName, LastCall>> = {};

  constructor(private readonly now: () => Date = () => new Date()) {}

  record(service: ServiceName, result: CallResult, call: string, detail?: string): void {
    this.last[service] = { result, call, at: this.now(), detail };
  }

  lastCall(service: ServiceName): LastCall | undefined {
    return this.last[service];
  }

  /** True when the last call to the service was refused for the app's own credentials. */
  refused(service: ServiceName): boolean {
    return this.last[service]?.result === 'refused';
  }
}
