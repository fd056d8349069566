/**
 * The app must not start: a setting is wrong in a way no retry fixes. Its message is one paragraph per
 * problem that names the setting and where to fix it; main prints it alone (no stack) and exits 1.
 */
export class StartupRefusal extends Error {
  readonly code = 'startup_refused';
  constructor(readonly paragraphs: string[]) {
    super(`Flex QM for Slack cannot start.\n\n${paragraphs.join('\n\n')}`);
    this.name = 'StartupRefusal';
  }
}

/** A service did not answer at start (no answer, a timeout, a 5xx): worth trying again. */
export interface Unreachable {
  kind: 'unreachable';
  /** What happened, for the log: never a secret. */
  detail: string;
}

/** What one try of a start-up check found. */
export type CheckOutcome<Found> =
  | { kind: 'ok'; found: Found }
  | { kind: 'refused'; paragraph: string; detail: string }
  | { kind: 'warning'; message: string; detail: string }
  | Unreachable;
