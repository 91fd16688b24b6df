/**
 * The audit log's "Export CSV" drawer: the list's current filter and order, as a link to
 * /cp/audit-log.csv (audit-export.ts), which downloads exactly those rows.
 */
import React from 'react';
import { Box, Button, H5, Text } from '@adminjs/design-system';
import type { ActionProps } from 'adminjs';

const KEPT = /^(filters\.|sortBy$|direction$)/;

export default function ExportCsv(_props: ActionProps) {
  const query = new URLSearchParams();
  for (const [key, value] of new URLSearchParams(window.location.search)) if (KEPT.test(key)) query.append(key, value);
  const filtered = [...query.keys()].some((key) => key.startsWith('filters.'));
  const href = `/cp/audit-log.csv${query.size > 0 ? `?${query.toString()}` : ''}`;
  return (
    <Box variant="white" padding="xl">
      <H5>Export the audit log as CSV</H5>
      <Text mb="lg">
        {filtered ? 'The entries matching the current filter' : 'All entries'}, newest first, at most 10,000. Panel
        sign-ins and sign-outs are left out unless the action filter asks for them. The export itself is audited.
      </Text>
      <Button as="a" href={href} download variant="contained">
        Download CSV
      </Button>
    </Box>
  );
}
