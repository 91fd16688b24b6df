/**
 * The audit log as CSV: `GET /cp/audit-log.csv` with the list's own query (`filters.action=…`,
 * `filters.createdAt~~from=…`, `sortBy`, `direction`), so the list's "Export CSV" link downloads
 * exactly the rows the operator is looking at, panel sign-ins folded as there. Behind the operator
 * gate like every panel page, and audited itself (`audit_exported`, with the filter and the row
 * count). At most EXPORT_MAX_ROWS rows, newest first; a narrower filter gets the rest.
 *
 * Every cell is quoted (RFC 4180: quotes doubled), and a cell a spreadsheet would run as a formula
 * (starting with = + - @, a tab or a carriage return) gets a leading apostrophe: a user agent or an
 * e-mail address in `data` is written by whoever made the request.
 */
import AdminJS, { Filter } from 'adminjs';
import type { RequestHandler } from 'express';
import type { AuditRepository } from '@nuell/api';
import { unflatten } from './resources/panel-resource.js';

export const EXPORT_PATH = '/audit-log.csv';
export const EXPORT_MAX_ROWS = 10_000;
const PAGE = 500;
const COLUMNS = ['createdAt', 'action', 'actorId', 'targetType', 'targetId', 'ip', 'userAgent', 'data'] as const;

/** One CSV cell: quoted, formulas defused. */
export function csvCell(value: unknown): string {
  let text =
    value === null || value === undefined
      ? ''
      : value instanceof Date
        ? value.toISOString()
        : typeof value === 'string'
          ? value
          : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function auditExport(admin: AdminJS, audit: AuditRepository): RequestHandler {
  return (request, response, next) => {
    const run = async () => {
      const resource = admin.findResource('AuditLog');
      const query = unflatten(request.query) as {
        filters?: Record<string, unknown>;
        sortBy?: unknown;
        direction?: unknown;
      };
      const filters = query.filters ?? {};
      const filter = new Filter(filters, resource);
      const sort = {
        sortBy: typeof query.sortBy === 'string' ? query.sortBy : 'createdAt',
        direction: query.direction === 'asc' ? ('asc' as const) : ('desc' as const),
      };
      const lines = [COLUMNS.map(csvCell).join(',')];
      for (let offset = 0; offset < EXPORT_MAX_ROWS; offset += PAGE) {
        const records = await resource.find(filter, { limit: PAGE, offset, sort });
        for (const record of records) {
          const row = unflatten(record.params);
          lines.push(COLUMNS.map((column) => csvCell(row[column])).join(','));
        }
        if (records.length < PAGE) break;
      }
      const operator = request.session.adminUser?.id ?? null;
      await audit.record('audit_exported', { actorId: operator, data: { filters, rows: lines.length - 1 } });
      const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
      response
        .status(200)
        .type('text/csv; charset=utf-8')
        .setHeader('Content-Disposition', `attachment; filename="audit-log-${stamp}.csv"`)
        .setHeader('Cache-Control', 'no-store')
        .send(`${lines.join('\r\n')}\r\n`);
    };
    run().catch(next);
  };
}
