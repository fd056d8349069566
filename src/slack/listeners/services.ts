import type { DeliveryService } from '../../domain/assessments/delivery-service.js';
import type { RetryService } from '../../domain/assessments/retry-service.js';
import type { CallDirectory, SubmissionService } from '../../domain/assessments/submission-service.js';
import type { CategoryCatalog } from '../../domain/categories/category-catalog.js';
import type { ReviewerNotifier } from '../notifications/reviewer-notifier.js';

/** What the Slack listeners call into; they parse, call these, and render. */
export interface ListenerServices {
  catalog: CategoryCatalog;
  calls: CallDirectory;
  submissions: SubmissionService;
  delivery: DeliveryService;
  notifier: ReviewerNotifier;
  /** Failed comments sent again from their message's Retry button. */
  retries: RetryService;
  /** Admin-defined call link forms (CALL_LINK_PATTERNS). */
  callLinkPatterns: readonly RegExp[];
}

export const QM_COMMAND = '/qm';
