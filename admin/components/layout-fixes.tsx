/**
 * A few rules of layout AdminJS's pages lack, added once to every page of the panel: this module
 * is in the components bundle every page loads, and adds its style element when that bundle runs.
 *
 * The header of a record's page puts the title and the record's actions on one line and never
 * wraps: with six actions (a user's page at 1366 px) the buttons ran off the right edge and the
 * title was squeezed under them. Here the actions wrap, under the title when they do not fit
 * beside it.
 *
 * Above a list, the breadcrumbs and the list's own actions (Register an app, Signing keys) share
 * one line that never wrapped either: at 390 px two actions lay over the breadcrumbs. Here the
 * actions go under the breadcrumbs when both do not fit.
 *
 * A list's values in badges (the audit log's actions in words) never wrapped either: one long
 * action ("Reused an old session token (possible theft: …)") widened its column until the table
 * scrolled sideways at 1366 px and squeezed the actor's address to a few letters a line. Badges
 * in a table cell wrap like text, between words only (never "Publishe-d").
 */
const RULES = `
.adminjs_ActionHeader > section:first-child:not(:last-child) { flex-wrap: wrap; gap: 8px 16px; }
.adminjs_ActionHeader > section:first-child:not(:last-child) > .adminjs_Breadcrumbs { flex-shrink: 0; max-width: 100%; }
.adminjs_ActionHeader > section:last-child { flex-wrap: wrap; column-gap: 16px; }
.adminjs_ActionHeader > section:last-child > section:first-child { flex: 1 0 auto; max-width: 100%; }
.adminjs_ActionHeader > section:last-child > section:last-child { flex-shrink: 1; min-width: 0; max-width: 100%; }
.adminjs_ActionHeader > section:last-child > section:last-child > section {
  display: flex; flex-wrap: wrap; gap: 8px; white-space: normal;
}
.adminjs_ActionHeader h2 { overflow-wrap: anywhere; }
.adminjs_TableCell .adminjs_Badge {
  display: inline-block; max-width: 100%; white-space: normal; word-break: normal; overflow-wrap: normal;
  text-align: left; line-height: 1.4; border-radius: 8px;
}
`;

if (typeof document !== 'undefined' && !document.getElementById('nuell-layout-fixes')) {
  const style = document.createElement('style');
  style.id = 'nuell-layout-fixes';
  style.textContent = RULES;
  document.head.appendChild(style);
}

/** Draws nothing: registered only so that the bundle carries the rules above. */
export default function LayoutFixes() {
  return null;
}
