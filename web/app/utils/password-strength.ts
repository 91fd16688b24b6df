/**
 * The "hard to guess" rule in the browser: zxcvbn-ts with the dictionaries, options and threshold
 * of the API's password policy (api/src/users/password-policy.ts), so the checklist ticks off
 * what the API accepts and words a refusal as it does. The dictionaries weigh about 840 KB
 * gzipped, so they are fetched only where a new password is typed, on first use, never with the
 * first page.
 */
import type { ZxcvbnResult } from '@zxcvbn-ts/core';

/** zxcvbn's score 3: at least 10^8 guesses (the API's PASSWORD_MIN_SCORE). */
const MIN_SCORE = 3;

/** How a password fares: `tooEasy` ends the refusal's sentence ("is too easy to guess: …"). */
export interface Strength {
  readonly hardToGuess: boolean;
  readonly tooEasy: string | null;
}

export type StrengthCheck = (password: string, personal: readonly string[]) => Strength;

function verdict(result: ZxcvbnResult): Strength {
  if (result.score >= MIN_SCORE) return { hardToGuess: true, tooEasy: null };
  const warning = result.feedback.warning?.replace(/\.$/, '');
  const help = result.feedback.suggestions[0] ?? 'Add another word or two that are less common.';
  const why = warning ? `: ${warning.charAt(0).toLowerCase()}${warning.slice(1)}` : '';
  return { hardToGuess: false, tooEasy: `is too easy to guess${why}. ${help}` };
}

let loading: Promise<StrengthCheck> | null = null;
let loaded: StrengthCheck | null = null;

/** The check if its dictionaries are here already (a form's rules use it before sending), else null. */
export function loadedStrengthCheck(): StrengthCheck | null {
  return loaded;
}

/** The check, once its dictionaries have arrived; every caller shares one download. */
export function loadStrengthCheck(): Promise<StrengthCheck> {
  loading ??= Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
  ]).then(([{ ZxcvbnFactory }, common, english]) => {
    const zxcvbn = new ZxcvbnFactory({
      // The API's bounds on the work (first 64 characters, 3 l33t substitutions): same verdicts.
      maxLength: 64,
      l33tMaxSubstitutions: 3,
      dictionary: { ...common.dictionary, ...english.dictionary },
      graphs: common.adjacencyGraphs,
      translations: english.translations,
    });
    loaded = (password, personal) => verdict(zxcvbn.check(password, [...personal]));
    return loaded;
  });
  // Offline when the field appeared: the next keystroke or submit tries again.
  loading.catch(() => {
    loading = null;
  });
  return loading;
}
