import { type EntitySubscriberInterface, EventSubscriber, type UpdateEvent } from 'typeorm';
import { recordAudit } from '../audit/audit.service.js';
import { User } from './user.entity.js';

/**
 * Whenever an account is deactivated through the ORM (the control panel saves entities), its
 * sessions are revoked and the ban is audited, in the same transaction. Access tokens stop working
 * on the next request regardless: the AuthGuard checks `is_active` every time.
 */
@EventSubscriber()
export class UserBanSubscriber implements EntitySubscriberInterface<User> {
  listenTo(): typeof User {
    return User;
  }

  async afterUpdate(event: UpdateEvent<User>): Promise<void> {
    const before = event.databaseEntity as User | undefined;
    const after = event.entity as Partial<User> | undefined;
    if (!before || after?.isActive === undefined || before.isActive === after.isActive) return;
    if (!after.isActive) {
      await event.manager.query(
        `UPDATE sessions SET revoked_at = now(), updated_at = now() WHERE user_id = $1 AND revoked_at IS NULL`,
        [before.id],
      );
    }
    await recordAudit(event.manager, after.isActive ? 'user_unbanned' : 'user_banned', {
      target: { type: 'user', id: before.id },
    });
  }
}
