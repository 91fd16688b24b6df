/**
 * Step-up: the API refuses a sensitive change (a factor, a passkey, the account's address...) with
 * 403 `step-up-required` when the session has not proved its owner's presence in the last minutes.
 * `guarded(call)` sends the call; on that refusal it asks the person to confirm it is them (the one
 * StepUpDialog, mounted by the layout while a question is open) and, once they have, sends the
 * same call once more. Cancelling the dialog hands back the first refusal, for the form to show.
 *
 * The question is shared: calls refused at the same moment wait for one dialog, not one each.
 */
import { ref } from 'vue';
import { problemOf } from '~/utils/problem';

/** What an openapi-fetch call resolves to. */
interface Answer {
  response: Response;
  error?: unknown;
}

const asking = ref(false);
let question: Promise<boolean> | null = null;
let settle: ((proven: boolean) => void) | null = null;

/** Whether an answer is the API asking for a fresh proof of presence. */
export function stepUpRequired(answer: Answer): boolean {
  return (
    answer.response.status === 403 &&
    problemOf(answer.response, answer.error).type === 'https://nuell.dev/problems/step-up-required'
  );
}

/** Opens the dialog (or joins the open one); resolves true once the person proved it is them. */
function askForProof(): Promise<boolean> {
  question ??= new Promise<boolean>((resolve) => {
    settle = resolve;
    asking.value = true;
  }).finally(() => {
    question = null;
    settle = null;
    asking.value = false;
  });
  return question;
}

/** The dialog's side: the question is open, and how it ended. */
export function useStepUpQuestion() {
  return {
    asking,
    /** true: proven (the waiting calls are sent again); false: cancelled. */
    answer(proven: boolean): void {
      settle?.(proven);
    },
  };
}

export function useStepUp() {
  /** Sends `call`; asks for a proof when the API wants one, then sends it once more. */
  async function guarded<A extends Answer>(call: () => Promise<A>): Promise<A> {
    const opener = typeof document === 'undefined' ? null : (document.activeElement as HTMLElement | null);
    const first = await call();
    if (!stepUpRequired(first)) return first;
    const answer = (await askForProof()) ? await call() : first;
    // The dialog gives the focus back to what had it, but a button disabled while its call was on
    // its way had lost it by then: once the page has settled (the button enabled again), return it.
    setTimeout(() => {
      if ((document.activeElement === document.body || !document.activeElement) && opener?.isConnected) opener.focus();
    });
    return answer;
  }
  return { guarded, asking };
}
