/**
 * The dashboard at /cp: how the service is doing at a glance. Every figure is one indexed query
 * (plans at a million posts in docs/performance.md); days are UTC days.
 */
import type { DailyCount, PostsRepository, SessionsRepository, UsersRepository } from '@nuell/api';

export const CHART_DAYS = 30;
const DAY_MS = 86_400_000;

export interface DashboardData {
  readonly users: { readonly total: number; readonly activeLast7Days: number; readonly newToday: number };
  readonly posts: { readonly total: number; readonly today: number };
  /** Oldest first, one entry per day of the last CHART_DAYS, today included. */
  readonly signUpsPerDay: readonly DailyCount[];
  readonly postsPerDay: readonly DailyCount[];
}

function startOfUtcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

/** Every day of the window, with 0 where the query found nothing. */
function everyDay(first: Date, counts: readonly DailyCount[]): DailyCount[] {
  const byDay = new Map(counts.map((c) => [c.day, c.count]));
  return Array.from({ length: CHART_DAYS }, (_, i) => {
    const day = new Date(first.getTime() + i * DAY_MS).toISOString().slice(0, 10);
    return { day, count: byDay.get(day) ?? 0 };
  });
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
    users.signUpsPerDay(firstDay),
    posts.postsPerDay(firstDay),
  ]);
  return {
    users: { total: userTotal, activeLast7Days: active, newToday },
    posts: { total: postTotal, today: postsToday },
    signUpsPerDay: everyDay(firstDay, signUps),
    postsPerDay: everyDay(firstDay, written),
  };
}
