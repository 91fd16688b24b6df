import { BaseEntity, BeforeInsert, CreateDateColumn, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';

/**
 * What every table shares: a UUID v7 key generated in the app, so new rows land at
 * the end of the primary-key index, and timestamptz creation/update times. Extends BaseEntity
 * because the control panel's TypeORM adapter calls `getRepository()` and `save()` on entities.
 */
export abstract class AppEntity extends BaseEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @BeforeInsert()
  protected assignId(): void {
    // Unset until the first insert, whatever the declared type says.
    this.id = this.id || uuidv7();
  }
}
