import { SCOPES } from '../policy/scopes.js';
import type { AppScope } from './app-scopes.js';

/** What an app's scopes let it do, as the e-mail says it: "sign you in …; create, edit …". */
export const abilitiesInWords = (scopes: readonly AppScope[]): string =>
  scopes.map((scope) => SCOPES[scope].charAt(0).toLowerCase() + SCOPES[scope].slice(1)).join('; ');
