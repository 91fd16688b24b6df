/**
 * What the server hands the panel's React components (admin/components/): the dashboard's
 * figures and the custom data of the actions that have a page of their own. Types only: the
 * server checks what it sends against them, and the components import them with `import type`,
 * so nothing of this file reaches the browser bundle.
 */
import type { ActionJSON, ActionProps } from 'adminjs';
import type { DailyCount, Post, Tally } from '@nuell/api';
import type { DashboardOperations } from './ops-props.js';

export type { DailyCount, Tally };

/** The dashboard handler's answer (dashboard.ts), drawn by the Dashboard component. */
export interface DashboardData {
  /** `total` is exact for small tables and PostgreSQL's estimate for large ones (`exact: false`). */
  readonly users: { readonly total: Tally; readonly activeLast7Days: number; readonly newToday: number };
  readonly posts: { readonly total: Tally; readonly today: number };
  /** Oldest first, one entry per day of the last CHART_DAYS (dashboard.ts), today included. */
  readonly signUpsPerDay: readonly DailyCount[];
  readonly postsPerDay: readonly DailyCount[];
  /** How the service runs: failed sign-ins, 429s, failed e-mail, the error rate (ops-props.ts). */
  readonly operations: DashboardOperations;
}

/** The props AdminJS passes an action's page, with the `custom` data that action sets. */
export type ActionPageProps<Custom> = ActionProps & { readonly action: ActionJSON & { readonly custom: Custom } };

/** `custom` of an operator action (operator-action.ts), shown by ConfirmAction. */
export interface ConfirmActionCustom {
  /** The confirmation question. */
  readonly question: string;
}

/** `custom` of the posts' bulk "Re-render" (posts.resource.ts), run by RerenderPosts. */
export interface RerenderCustom {
  /** Posts per request; the page shows progress between requests. */
  readonly chunk: number;
}

/** `custom` of an "all matching" action (all-matching-action.ts), run by ApplyToMatching. */
export interface ApplyToMatchingCustom {
  /** What it does, with {count} for the number matching: "Render {count} again with …". */
  readonly explanation: string;
  /** The record noun, singular and plural: ["post", "posts"]. */
  readonly noun: readonly [string, string];
  /** What is said of each record done: "re-rendered". */
  readonly done: string;
  /** The button's words: "Re-render all". */
  readonly button: string;
}

/** The columns PostSideBySide shows beside each other (a record's params hold all its columns). */
export type PostSideBySideParams = Pick<Post, 'content' | 'contentHtml'>;
