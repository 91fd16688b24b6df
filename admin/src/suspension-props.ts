/**
 * What the server hands the suspension form (admin/components/suspend-form.tsx). Types only, like
 * component-props.ts: nothing of this file reaches the browser bundle.
 */

/** `custom` of Users' "Suspend" (one account) and "Suspend" in bulk (the selected accounts). */
export interface SuspendFormCustom {
  /** Longest reason and message, in characters. */
  readonly maxLength: number;
}

/** What a suspension POST answers besides the notice: each field's refusal, and in bulk each account's. */
export interface SuspendAnswer {
  readonly errors?: Readonly<Record<string, string>>;
  readonly refused?: readonly { readonly email: string; readonly reason: string }[];
}
