/**
 * The dashboard at /cp: how the service is doing at a glance, and how it runs (operations cards,
 * each linking to the list behind it). Every figure is one indexed query
 * or a planner estimate (plans at a million posts in docs/performance.md); days are UTC days.
 */
import type { OpsHealthService, PostsRepository, SessionsRepository, UsersRepository } from '@nuell/api';
import type { DashboardData } from './component-props.js';
import { healthPageLink, mailQueueLink } from './health-page.js';
import type { DashboardOperations } from './ops-props.js';

export const CHART_DAYS = 30;
const DAY_MS = 86_400_000;

function startOfUtcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

export async function dashboardData(
  repositories: { users: UsersRepository; posts: PostsRepository; sessions: SessionsRepository },
  now = new Date(),
): Promise<Omit<DashboardData, 'operations'>> {
  const { users, posts, sessions } = repositories;
  const today = startOfUtcDay(now);
  const firstDay = new Date(today.getTime() - (CHART_DAYS - 1) * DAY_MS);
  const [userTotal, active, newToday, postTotal, postsToday, signUps, written] = await Promise.all([
    users.count(),
    sessions.countActiveUsersSince(new Date(now.getTime() - 7 * DAY_MS)),
    users.countCreatedSince(today),
    posts.count(),
    posts.countCreatedSince(today),
    users.signUpsPerDay(firstDay, CHART_DAYS),
    posts.postsPerDay(firstDay, CHART_DAYS),
  ]);
  return {
    users: { total: userTotal, activeLast7Days: active, newToday },
    posts: { total: postTotal, today: postsToday },
    signUpsPerDay: signUps,
    postsPerDay: written,
  };
}

/**
 * The operations cards: failed sign-ins (to the app and to the panel) and rate-limit refusals
 * (24 h), and the error rate (1 h), summed from every process's operations samples, the same
 * figures as the health page, which links each to the lists behind it; and the e-mails kept as
 * failed (the linked mail queue). A figure the database cannot give is null rather than a page
 * that fails.
 */
export async function dashboardOperations(ops: OpsHealthService): Promise<DashboardOperations> {
  const [windows, mail] = await Promise.all([ops.windows().catch(() => null), ops.mailCounts().catch(() => null)]);
  return {
    failedSignIns: { count: windows?.lastDay.signInFailures ?? null, link: healthPageLink },
    rateLimitRejections: { count: windows?.lastDay.rateLimitRejections ?? null, link: healthPageLink },
    failedMail: { count: mail?.failed ?? null, link: mailQueueLink('failed') },
    errorRate: {
      rate: windows?.lastHour.errorRate ?? null,
      requests: windows?.lastHour.requests ?? 0,
      serverErrors: windows?.lastHour.serverErrors ?? 0,
      link: healthPageLink,
    },
  };
}
