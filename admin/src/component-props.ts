/**
 * What the server hands the panel's React components (admin/components/): the dashboard's
 * figures and the custom data of the actions that have a page of their own. Types only: the
 * server checks what it sends against them, and the components import them with `import type`,
 * so nothing of this file reaches the browser bundle.
 */
import type { ActionJSON, ActionProps } from 'adminjs';
import type { DailyCount, Post, Tally } from '@nuell/api';
import type { DashboardOperations } from './ops-props.js';
import type { UserTokenSummary } from './third-party-props.js';

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

/** A confirmation page's question about one record, and what follows from saying yes. */
export interface Confirmation {
  /** Names the record: "Delete alice@example.com and its 12 posts?" */
  readonly question: string;
  /** What happens, in a sentence or two: "Its sessions end. This cannot be undone." */
  readonly consequence?: string;
}

/** What the GET of an operator action answers besides the record (operator-action.ts). */
export interface ConfirmationResponse {
  readonly confirmation: Confirmation;
}

/** One entry of the user page's recent history (user-overview.ts), in words. */
export interface UserHistoryEntry {
  readonly id: string;
  /** ISO time. */
  readonly at: string;
  readonly action: string;
  /** The action in words (audit-labels.ts). */
  readonly label: string;
  /** Who did it: this account, another (with its address when it still exists), or nobody. */
  readonly actor:
    | { readonly kind: 'self' }
    | { readonly kind: 'user'; readonly id: string; readonly email: string | null }
    | { readonly kind: 'none' };
  /** What it was done to: this account, another record (named when it still exists), or nothing. */
  readonly target:
    | { readonly kind: 'self' }
    | { readonly kind: 'record'; readonly resource: string | null; readonly id: string; readonly name: string }
    | { readonly kind: 'none' };
  readonly ip: string | null;
}

/** A live session on the user page. */
export interface UserSessionSummary {
  readonly id: string;
  readonly device: string;
  readonly ip: string | null;
  readonly startedAt: string;
  readonly lastUsedAt: string;
}

/** The user page's figures (the hidden `overview` action of Users), drawn by UserShow. */
export interface UserOverview {
  /** The latest successful sign-in, in the web app or API (`login`) or the panel (`panel_login`). */
  readonly lastSignIn: {
    readonly at: string;
    readonly where: 'app' | 'panel';
    readonly ip: string | null;
    readonly device: string;
  } | null;
  /** When any of the account's sessions was last used (a request or a refresh). */
  readonly lastActivity: string | null;
  /** `hidden`: published posts an operator hid, when posts can be hidden; counted in `published` too. */
  readonly posts: { readonly published: number; readonly drafts: number; readonly hidden: number | null };
  readonly sessions: readonly UserSessionSummary[];
  /** The account's personal access tokens, live ones first, at most `tokensLimit`. */
  readonly tokens: readonly UserTokenSummary[];
  readonly tokensLimit: number;
  /** The newest entries where the account is the actor or the target, newest first. */
  readonly history: readonly UserHistoryEntry[];
  /** How many entries the history may show (the rest is in the audit log). */
  readonly historyLimit: number;
}

/** `custom` of the Users' "Correct e-mail" action, drawn by CorrectEmail. */
export interface CorrectEmailCustom {
  /** Whether the new address counts as verified (it does not: the owner confirms it). */
  readonly newAddressVerified: boolean;
}
