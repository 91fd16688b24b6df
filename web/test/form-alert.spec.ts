import { mountSuspended } from '@nuxt/test-utils/runtime';
import { describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick, ref } from 'vue';
import FormAlert from '~/components/FormAlert.vue';

/** A form with two named inputs and its error summary, as the account pages have. */
const Form = defineComponent({
  props: { errors: { type: Object, default: () => ({}) }, message: { type: String, default: null } },
  setup(props, { expose }) {
    const failures = ref(0);
    expose({ fail: () => failures.value++ });
    return () =>
      h('form', [
        h(FormAlert, {
          message: props.message,
          errors: props.errors as Record<string, string>,
          failures: failures.value,
        }),
        h('input', { name: 'email', id: 'email-input' }),
        h('input', { name: 'password', id: 'password-input' }),
      ]);
  },
});

describe('the error summary of a form', () => {
  it('takes the focus after a refused submit, in a live region, each error linking to its field', async () => {
    const wrapper = await mountSuspended(Form, {
      props: { errors: { email: 'Enter your e-mail address', password: 'Enter your password' } },
      attachTo: document.body,
    });
    const summary = wrapper.find('[data-error-summary]');
    expect(summary.text()).toContain('2 things to fix:');
    expect(summary.element.closest('[aria-live]')).not.toBeNull();
    expect(document.activeElement).not.toBe(summary.element);

    (wrapper.vm as unknown as { fail(): void }).fail();
    await nextTick();
    await nextTick();
    expect(document.activeElement?.hasAttribute('data-error-summary')).toBe(true);

    const links = wrapper.findAll('[data-error-summary] a');
    expect(links.map((link) => link.text())).toEqual(['Enter your e-mail address', 'Enter your password']);
    await links[1]!.trigger('click');
    expect(document.activeElement?.id).toBe('password-input');
    wrapper.unmount();
  });

  it('shows nothing, and takes no room, when there is nothing to say', async () => {
    const wrapper = await mountSuspended(Form, { props: {} });
    expect(wrapper.find('[data-error-summary]').exists()).toBe(false);
    expect(wrapper.find('[aria-live]').text()).toBe('');
    wrapper.unmount();
  });
});
