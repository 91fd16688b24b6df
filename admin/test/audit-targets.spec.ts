/**
 * The audit log's target filter knows every kind of target the API records, e-mails in the queue
 * (`mail_job`: retried or discarded by an operator) included, and names each in words.
 */
import { randomUUID } from 'node:crypto';
import { operator, signedIn, usePanelAndApi } from './support/panel.js';

const { panel, api } = usePanelAndApi();

interface ListJson {
  records: { id: string; params: Record<string, unknown> }[];
  meta: { total: number };
}

describe("the audit log's target filter", () => {
  it('finds the entries about an e-mail in the queue, and calls that target in words', async () => {
    const ada = await operator(api);
    const client = await signedIn(panel, ada);
    const job = randomUUID();
    await api.db.query(
      `INSERT INTO audit_log (id, action, actor_id, target_type, target_id, data)
       VALUES (gen_random_uuid(), 'mail_discarded', $1, 'mail_job', $2, '{}')`,
      [ada.id, job],
    );
    const listed = await client.json<ListJson>(
      `/cp/api/resources/AuditLog/actions/list?filters.targetType=mail_job&filters.actorId=${ada.id}`,
    );
    expect(listed.records.map((r) => [r.params.action, r.params.targetId])).toEqual([['mail_discarded', job]]);

    const html = await (await client.get('/cp/resources/AuditLog')).text();
    // The panel's translations, which the Target column, the entry's page and the filter read.
    expect(html).toContain(
      '"targetType":{"user":"User","post":"Post","session":"Session","mail_job":"E-mail in the queue","oauth_client":"App","signing_key":"Signing key"}',
    );
  });
});
