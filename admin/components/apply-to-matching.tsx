/**
 * The page of an "all matching" action (all-matching-action.ts): says how many records the list's
 * filter matches on every page, then does them a chunk at a time with a progress bar. The filter
 * travels in the address (the drawer keeps the list's `filters.*`).
 */
import React, { useEffect, useState } from 'react';
import { ApiClient } from 'adminjs';
import { colors } from '@adminjs/design-system';
import type { ActionPageProps, ApplyToMatchingCustom } from '../src/component-props.js';

const api = new ApiClient();

interface Answer {
  readonly matching?: number;
  readonly done?: number;
  readonly next?: string | null;
}

/** The list's filter, as the query the handler reads. */
function filterParams(): Record<string, string> {
  const params = new URLSearchParams(window.location.search);
  return Object.fromEntries([...params].filter(([key]) => key.startsWith('filters.')));
}

export default function ApplyToMatching({ resource, action }: ActionPageProps<ApplyToMatchingCustom>) {
  const { explanation, noun, done: doneWord, button } = action.custom;
  const [matching, setMatching] = useState<number | null>(null);
  const [done, setDone] = useState(0);
  const [state, setState] = useState<'counting' | 'ready' | 'running' | 'finished' | 'failed'>('counting');
  const params = filterParams();
  const filtered = Object.keys(params).length > 0;
  const counted = (n: number) => `${n.toLocaleString('en')} ${n === 1 ? noun[0] : noun[1]}`;

  // Back to the list, with its filter: the Close link, and Esc.
  const listHref = `${resource.href ?? ''}?${new URLSearchParams(params).toString()}`;
  useEffect(() => {
    const close = (event: KeyboardEvent) => {
      if (event.key === 'Escape') window.location.assign(listHref);
    };
    window.addEventListener('keydown', close);
    return () => {
      window.removeEventListener('keydown', close);
    };
  }, [listHref]);

  useEffect(() => {
    api
      .resourceAction({ resourceId: resource.id, actionName: action.name, params })
      .then((response) => {
        setMatching((response.data as Answer).matching ?? 0);
        setState('ready');
      })
      .catch(() => {
        setState('failed');
      });
    // Counted once: the filter is fixed for the life of the drawer.
  }, [resource.id, action.name]);

  async function run(): Promise<void> {
    setState('running');
    let total = 0;
    let after: string | null = null;
    try {
      do {
        const response = await api.resourceAction({
          resourceId: resource.id,
          actionName: action.name,
          params,
          data: after === null ? {} : { after },
          method: 'post',
        });
        const answer = response.data as Answer;
        total += answer.done ?? 0;
        setDone(total);
        after = answer.next ?? null;
      } while (after !== null);
      setState('finished');
    } catch {
      setState('failed');
    }
  }

  if (state === 'counting') return <p style={{ padding: 24 }}>Counting the {noun[1]} that match…</p>;
  if (matching === null) return <p style={{ padding: 24 }}>The panel did not answer. Close this and try again.</p>;
  const scope = filtered
    ? `All ${counted(matching)} matching the list's filter, on every page.`
    : `Every one of the ${counted(matching)}: the list has no filter.`;
  return (
    <div style={{ padding: 24 }}>
      <p style={{ marginBottom: 8 }}>{explanation.replace('{count}', counted(matching))}</p>
      <p style={{ marginBottom: 16, color: colors.grey80 }}>{scope}</p>
      <progress max={Math.max(matching, 1)} value={done} style={{ width: '100%', height: 16 }} aria-label="Progress" />
      <p role="status" style={{ margin: '12px 0' }}>
        {state === 'finished'
          ? `Done: ${counted(done)} ${doneWord}.`
          : state === 'failed'
            ? `Stopped after ${counted(done)}: the panel did not answer. Run it again to carry on.`
            : state === 'running'
              ? `${done.toLocaleString('en')} of ${counted(matching)} ${doneWord}…`
              : ''}
      </p>
      <button
        type="button"
        onClick={() => void run()}
        disabled={state === 'running' || state === 'finished' || matching === 0}
        style={{ padding: '8px 16px', background: colors.primary100, color: colors.white, border: 0, borderRadius: 4 }}
      >
        {button}
      </button>
      <a href={listHref} style={{ marginLeft: 16 }}>
        {state === 'finished' ? 'Back to the list' : 'Cancel'}
      </a>
    </div>
  );
}
