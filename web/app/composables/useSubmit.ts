/**
 * The life of one form: check it with a Zod schema, send it, and show a refusal where the user
 * looks: the server's field errors beside the inputs the form has, anything else as one message
 * above them (the page may word it better, or turn it into a field error). `failures` counts the
 * refused submits, so the form's error summary (FormAlert) can take the focus after each.
 */
import type { z } from 'zod';
import { fieldErrors } from '~/utils/forms';
import { problemOf, unreachable, type Problem } from '~/utils/problem';

interface Answer {
  response: Response;
  error?: unknown;
}

/** A page's reading of a refusal: a message, errors beside fields, or null for the server's words. */
type Explanation = string | Record<string, string> | null;

export function useSubmit<S extends z.ZodType>(schema: () => S, send: (value: z.output<S>) => Promise<Answer>) {
  const errors = ref<Record<string, string>>({});
  const message = ref<string | null>(null);
  const busy = ref(false);
  const failures = ref(0);

  function refused(form: object, problem: Problem, explain?: (problem: Problem) => Explanation): void {
    const beside = Object.fromEntries(Object.entries(problem.fields).filter(([field]) => field in form));
    if (Object.keys(beside).length > 0) {
      errors.value = beside;
      return;
    }
    const explained = explain?.(problem) ?? problem.message;
    if (typeof explained === 'string') message.value = explained;
    else errors.value = explained;
  }

  /** Resolves true when the server accepted the form. */
  async function submit(form: object, explain?: (problem: Problem) => Explanation): Promise<boolean> {
    const parsed = schema().safeParse(form);
    errors.value = fieldErrors(parsed);
    message.value = null;
    if (!parsed.success) {
      failures.value++;
      return false;
    }
    busy.value = true;
    try {
      const { response, error } = await send(parsed.data);
      if (response.ok) return true;
      refused(form, problemOf(response, error), explain);
      failures.value++;
      return false;
    } catch {
      message.value = unreachable().message;
      failures.value++;
      return false;
    } finally {
      busy.value = false;
    }
  }

  return { errors, message, busy, failures, submit };
}
