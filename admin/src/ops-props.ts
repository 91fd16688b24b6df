/**
 * What the server hands the health page (health-page.ts → components/health.tsx) and the
 * dashboard's operations cards (dashboard.ts → components/dashboard.tsx). Types only, imported
 * with `import type`, so nothing of this file reaches the browser bundle. Times are ISO strings.
 */

/** The counters' growth over a window, summed over every process of the deployment. */
export interface OpsWindowData {
  readonly signInFailures: number;
  readonly rateLimitRejections: number;
  /** Attempts to hand an e-mail to SMTP that failed (each retry counts). */
  readonly mailFailures: number;
  readonly requests: number;
  /** Requests answered with a 5xx status. */
  readonly serverErrors: number;
  /** serverErrors / requests, 0 to 1; null when nothing was answered. */
  readonly errorRate: number | null;
}

export interface ReplicaData {
  readonly replica: string;
  readonly kind: 'api' | 'panel';
  readonly host: string;
  readonly pid: number;
  readonly startedAt: string;
  readonly lastSeenAt: string;
}

/** The health page's figures; what is read from the database is null when it does not answer. */
export interface HealthPageData {
  readonly checkedAt: string;
  /** How often each process writes its counters: the sums lag behind by up to this. */
  readonly sampleIntervalSeconds: number;
  readonly database: { readonly up: boolean; readonly roundTripMs: number | null; readonly error: string | null };
  readonly mail: {
    readonly queued: number;
    readonly sending: number;
    readonly retrying: number;
    readonly failed: number;
  } | null;
  readonly lastHour: OpsWindowData | null;
  readonly lastDay: OpsWindowData | null;
  readonly replicas: readonly ReplicaData[] | null;
  /** The lists behind the figures. */
  readonly links: {
    readonly mailQueued: string;
    readonly mailRetrying: string;
    readonly mailFailed: string;
    /** The audit log's failed sign-ins of the last 24 hours: to the app, and to the panel. */
    readonly failedSignInsLastDay: string;
    readonly failedPanelSignInsLastDay: string;
  };
}

/** A dashboard card: a figure (null: not known, the database did not say) and the list behind it. */
export interface OpsCard {
  readonly count: number | null;
  readonly link: string;
}

/** The dashboard's operations cards (dashboard.ts). */
export interface DashboardOperations {
  /** Failed sign-ins to the app and to the panel, last 24 hours (ops_samples); links to the health page. */
  readonly failedSignIns: OpsCard;
  /** 429 answers of the last 24 hours, every process (ops_samples); links to the health page. */
  readonly rateLimitRejections: OpsCard;
  /** E-mails kept as failed in the queue now; links to the mail queue filtered to failed. */
  readonly failedMail: OpsCard;
  /** 5xx answers / requests over the last hour (ops_samples); links to the health page. */
  readonly errorRate: {
    readonly rate: number | null;
    readonly requests: number;
    readonly serverErrors: number;
    readonly link: string;
  };
}
