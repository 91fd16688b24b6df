/**
 * The life of one form: check it with a Zod schema, send it, and put the server's field errors
 * beside the right inputs (or one message above them).
 */
import type { z } from 'zod';
import { fieldErrors } from '~/utils/forms';
import { problemOf, unreachable, type Problem } from '~/utils/problem';

interface Answer {
  response: Response;
  error?: unknown;
}

export function useSubmit<S extends z.ZodType>(schema: () => S, send: (value: z.output<S>) => Promise<Answer>) {
  const errors = ref<Record<string, string>>({});
  const message = ref<string | null>(null);
  const busy = ref(false);

  /** Resolves true when the server accepted the form. */
  async function submit(form: unknown, onProblem?: (problem: Problem) => string | null): Promise<boolean> {
    const parsed = schema().safeParse(form);
    errors.value = fieldErrors(parsed);
    message.value = null;
    if (!parsed.success) return false;
    busy.value = true;
    try {
      const { response, error } = await send(parsed.data);
      if (response.ok) return true;
      const problem = problemOf(response, error);
      errors.value = problem.fields;
      if (Object.keys(problem.fields).length === 0) message.value = onProblem?.(problem) ?? problem.message;
      return false;
    } catch {
      message.value = unreachable().message;
      return false;
    } finally {
      busy.value = false;
    }
  }

  return { errors, message, busy, submit };
}
