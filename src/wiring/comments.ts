import type { Logger } from '@slack/bolt';
import type { Config } from '../config/config.js';
import type { AssessmentRepository } from '../db/repositories/assessment-repository.js';
import type { CategoryRepository } from '../db/repositories/category-repository.js';
import type { IdentityRepository } from '../db/repositories/identity-repository.js';
import type { DeliveryService } from '../domain/assessments/delivery-service.js';
import { RetryService } from '../domain/assessments/retry-service.js';
import { SubmissionService, type SubmissionServiceDeps } from '../domain/assessments/submission-service.js';
import { CategoryCatalog } from '../domain/categories/category-catalog.js';
import { logArgs } from '../flex/errors.js';
import { createFlexCallDirectory } from '../flex/flex-call-directory.js';
import type { FlexClient } from '../flex/flex-client.js';

/**
 * The comment flow's services: the categories the modal offers, whose call a segment is, the submissions
 * that store comments, and the retries of comments Flex did not take.
 */
export function wireComments(deps: {
  config: Config;
  flex: FlexClient;
  assessments: AssessmentRepository;
  categories: CategoryRepository;
  identities: IdentityRepository;
  delivery: DeliveryService;
  inReviewerGroup: SubmissionServiceDeps['inReviewerGroup'];
  observer: SubmissionServiceDeps['observer'];
  /** How long Flex may take to say whose call a segment is before the modal asks instead. */
  callLookupTimeoutMs?: number;
  logger: Logger;
  logError: (what: string) => (error: unknown) => void;
}) {
  const { config, assessments, categories, identities, logger } = deps;
  const catalog = new CategoryCatalog(categories, 30_000, deps.logError('Refreshing categories failed'));
  const calls = createFlexCallDirectory(deps.flex, deps.callLookupTimeoutMs ?? 1_500, (error) =>
    logger.warn(...logArgs('Flex segment lookup failed', error)),
  );
  const submissions = new SubmissionService({
    store: assessments,
    reviewers: identities,
    inReviewerGroup: deps.inReviewerGroup,
    // The catalog the modal offered is asked first, so a submission reads the database only for a category
    // added since the catalog's last refresh; one deactivated since then is still taken until the refresh (30 s).
    categories: {
      findActive: async (id, workspaceId) => catalog.find(id, workspaceId) ?? categories.findActive(id, workspaceId),
    },
    // A new assessment is stored already claimed for its first attempt when Flex has room (one write less).
    delivery: deps.delivery,
    calls,
    callLinkPatterns: config.callLinkPatterns,
    observer: deps.observer,
  });
  const retries = new RetryService({ store: assessments, reviewers: identities });
  return { catalog, calls, submissions, retries };
}
