/** An audit entry's details (what changed, before and after) as indented JSON. */
import React from 'react';
import { flat, type ShowPropertyProps } from 'adminjs';
import { colors } from '@adminjs/design-system';

export default function JsonData({ record, property }: ShowPropertyProps) {
  const value: unknown = flat.get(record.params, property.path);
  return (
    <div style={{ marginBottom: 24 }}>
      <div style={{ fontSize: 12, color: colors.grey80, marginBottom: 4 }}>Details</div>
      <pre
        style={{
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-word',
          background: colors.grey20,
          padding: 12,
          borderRadius: 4,
        }}
      >
        {JSON.stringify(value ?? {}, null, 2)}
      </pre>
    </div>
  );
}
