/**
 * The dashboard at /cp: how the service is doing at a glance. Every figure is one indexed query
 * or a planner estimate (plans at a million posts in docs/performance.md); days are UTC days.
 */
import type { PostsRepository, SessionsRepository, UsersRepository } from '@nuell/api';
import type { DashboardData } from './component-props.js';

export const CHART_DAYS = 30;
const DAY_MS = 86_400_000;

function startOfUtcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

export async function dashboardData(
  repositories: { users: UsersRepository; posts: PostsRepository; sessions: SessionsRepository },
  now = new Date(),
): Promise<DashboardData> {
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
