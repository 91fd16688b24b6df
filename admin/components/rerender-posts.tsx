/**
 * The bulk "Re-render" action: renders the selected posts again with the current content engine,
 * a few at a time, and shows how far it got.
 */
import React, { useState } from 'react';
import { ApiClient } from 'adminjs';
import { colors } from '@adminjs/design-system';
import type { ActionPageProps, RerenderCustom } from '../src/component-props.js';

const api = new ApiClient();

export default function RerenderPosts({ resource, action, records }: ActionPageProps<RerenderCustom>) {
  const ids = (records ?? []).map((record) => record.id);
  const { chunk } = action.custom;
  const [done, setDone] = useState(0);
  const [state, setState] = useState<'ready' | 'running' | 'finished' | 'failed'>('ready');

  async function run(): Promise<void> {
    setState('running');
    try {
      for (let start = 0; start < ids.length; start += chunk) {
        const part = ids.slice(start, start + chunk);
        await api.bulkAction({ resourceId: resource.id, actionName: action.name, recordIds: part, method: 'post' });
        setDone(start + part.length);
      }
      setState('finished');
    } catch {
      setState('failed');
    }
  }

  return (
    <div style={{ padding: 24 }}>
      <p style={{ marginBottom: 16 }}>
        Render {ids.length} selected post{ids.length === 1 ? '' : 's'} again with the current content engine. Posts
        edited meanwhile keep their edit.
      </p>
      <progress
        max={ids.length}
        value={done}
        style={{ width: '100%', height: 16 }}
        aria-label="Re-rendering progress"
      />
      <p role="status" style={{ margin: '12px 0' }}>
        {state === 'finished'
          ? `Done: ${done} of ${ids.length} re-rendered.`
          : state === 'failed'
            ? `Stopped after ${done} of ${ids.length}: the panel did not answer. Try again.`
            : `${done} of ${ids.length} re-rendered.`}
      </p>
      <button
        type="button"
        onClick={() => void run()}
        disabled={state === 'running' || state === 'finished'}
        style={{ padding: '8px 16px', background: colors.primary100, color: colors.white, border: 0, borderRadius: 4 }}
      >
        Re-render
      </button>
    </div>
  );
}
