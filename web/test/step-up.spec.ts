/**
 * useStepUp: a change the API refuses for want of a recent proof of presence waits for the one
 * "Confirm it is you" dialog, then goes again once; cancelling hands back the refusal.
 */
import { describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { stepUpRequired, useStepUp, useStepUpQuestion } from '~/composables/useStepUp';
import { problemOf } from '~/utils/problem';

const STEP_UP = 'https://nuell.dev/problems/step-up-required';
const refusal = (type = STEP_UP) => {
  const body = { type, title: 'Forbidden', status: 403, detail: 'Confirm it is you' };
  return {
    response: new Response(JSON.stringify(body), {
      status: 403,
      headers: { 'content-type': 'application/problem+json' },
    }),
    error: body,
  };
};
const done = () => ({ response: new Response(null, { status: 204 }), error: undefined });

/** A call that answers from a list, one answer per send, and counts the sends. */
function scripted(...answers: (() => { response: Response; error: unknown })[]) {
  const call = async () => {
    call.sent++;
    return answers[Math.min(call.sent, answers.length) - 1]!();
  };
  call.sent = 0;
  return call;
}

/** Waits until the dialog would be open. */
async function questionOpen(): Promise<void> {
  const { asking } = useStepUpQuestion();
  for (let i = 0; i < 50 && !asking.value; i++) await new Promise((r) => setTimeout(r, 1));
  expect(asking.value).toBe(true);
}

describe('a change that may need a fresh proof of presence', () => {
  it('goes through without a question when the API does not ask for one', async () => {
    const call = scripted(done);
    const answer = await useStepUp().guarded(call);
    expect(answer.response.status).toBe(204);
    expect(call.sent).toBe(1);
    expect(useStepUpQuestion().asking.value).toBe(false);
  });

  it('asks, and once the person confirmed, sends the same call once more', async () => {
    const call = scripted(refusal, done);
    const pending = useStepUp().guarded(call);
    await questionOpen();
    expect(call.sent).toBe(1);
    useStepUpQuestion().answer(true);
    expect((await pending).response.status).toBe(204);
    expect(call.sent).toBe(2);
    await nextTick();
    expect(useStepUpQuestion().asking.value).toBe(false);
  });

  it('hands back the refusal, unsent again, when the dialog is cancelled', async () => {
    const call = scripted(refusal, done);
    const pending = useStepUp().guarded(call);
    await questionOpen();
    useStepUpQuestion().answer(false);
    const answer = await pending;
    expect(answer.response.status).toBe(403);
    expect(stepUpRequired(answer)).toBe(true);
    expect(call.sent).toBe(1);
    // What the form then says, in place of the API's words for developers.
    expect(problemOf(answer.response, answer.error).message).toBe('To make this change, first confirm it is you.');
  });

  it('asks once for calls refused at the same moment, and sends each again', async () => {
    const first = scripted(refusal, done);
    const second = scripted(refusal, done);
    const both = Promise.all([useStepUp().guarded(first), useStepUp().guarded(second)]);
    await questionOpen();
    useStepUpQuestion().answer(true);
    const answers = await both;
    expect(answers.map((a) => a.response.status)).toEqual([204, 204]);
    expect([first.sent, second.sent]).toEqual([2, 2]);
  });

  it('retries only once: a second refusal after the proof is handed back, not asked again', async () => {
    const call = scripted(refusal, refusal);
    const pending = useStepUp().guarded(call);
    await questionOpen();
    useStepUpQuestion().answer(true);
    expect((await pending).response.status).toBe(403);
    expect(call.sent).toBe(2);
    expect(useStepUpQuestion().asking.value).toBe(false);
  });

  it('leaves other refusals alone: a 403 of another type is not a question', async () => {
    const call = scripted(() => refusal('https://nuell.dev/problems/email-not-verified'));
    expect((await useStepUp().guarded(call)).response.status).toBe(403);
    expect(call.sent).toBe(1);
  });
});
