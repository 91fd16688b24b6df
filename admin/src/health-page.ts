/**
 * The health page at /cp/pages/health (operators only, like every page of the panel): the
 * database (up, and a round trip from the panel), the e-mail queue's depth and failures, sign-in
 * failures, rate-limit refusals and the error rate over the last hour and day, and the API
 * replicas (and panel processes) seen lately. The sums come from the operations samples every
 * process writes (OpsHealthService): the same counters /api/metrics exposes.
 */
import type { OpsHealth, OpsHealthService } from '@nuell/api';
import { ROOT_PATH } from './config.js';
import type { HealthPageData } from './ops-props.js';

export const HEALTH_PAGE = 'health';
const DAY_MS = 86_400_000;

/** The mail queue's list filtered to one state. */
export const mailQueueLink = (state: 'queued' | 'retrying' | 'failed') =>
  `${ROOT_PATH}/resources/MailJob?filters.state=${state}`;

/** The audit log's list of failed sign-ins (to the app, or to the panel) since `since`, newest first. */
export const failedSignInsLink = (since: Date, action: 'login_failed' | 'panel_login_failed' = 'login_failed') =>
  `${ROOT_PATH}/resources/AuditLog?${new URLSearchParams({
    'filters.action': action,
    'filters.createdAt~~from': since.toISOString(),
  }).toString()}`;

export const healthPageLink = `${ROOT_PATH}/pages/${HEALTH_PAGE}`;

export async function healthPageData(ops: OpsHealthService, now = new Date()): Promise<HealthPageData> {
  const health: OpsHealth = await ops.health();
  return {
    checkedAt: health.checkedAt.toISOString(),
    sampleIntervalSeconds: health.sampleIntervalSeconds,
    database: health.database,
    mail: health.mail,
    lastHour: health.lastHour,
    lastDay: health.lastDay,
    replicas:
      health.replicas?.map((r) => ({
        ...r,
        startedAt: r.startedAt.toISOString(),
        lastSeenAt: r.lastSeenAt.toISOString(),
      })) ?? null,
    links: {
      mailQueued: mailQueueLink('queued'),
      mailRetrying: mailQueueLink('retrying'),
      mailFailed: mailQueueLink('failed'),
      failedSignInsLastDay: failedSignInsLink(new Date(now.getTime() - DAY_MS)),
      failedPanelSignInsLastDay: failedSignInsLink(new Date(now.getTime() - DAY_MS), 'panel_login_failed'),
    },
  };
}
