import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Change events: every change a reader could see (a post appearing, changing or going; an author's
 * public name or profile changing; an author suspended, restored or deleted) becomes a row of
 * `change_events` and a NOTIFY on `nuell_changes`, in the transaction that made the change. Triggers
 * write them, so no writer can forget: the API, the control panel, the re-render command and a
 * cascade of a deleted account alike.
 *
 * `seq` is the event's place in commit order, so "every event after N" (a stream resuming with
 * Last-Event-ID) never skips one that committed late. A row gets it at commit time: a deferred
 * constraint trigger takes a transaction advisory lock, numbers the row and notifies. The lock is
 * held from that point to the end of the commit, so two transactions number their events in the
 * order they commit; nothing else is locked after it, so it cannot take part in a deadlock, and it
 * serialises only the last instant of transactions that change what readers see.
 */
export class ChangeEvents1765238400000 implements MigrationInterface {
  name = 'ChangeEvents1765238400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE "change_events_seq"`);
    await q.query(`
      CREATE TABLE "change_events" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "seq" bigint,
        "kind" text NOT NULL,
        "post_id" uuid,
        "author_id" uuid,
        "public" boolean NOT NULL DEFAULT true,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "change_events_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "change_events_seq_key" UNIQUE ("seq"),
        CONSTRAINT "change_events_kind_check" CHECK ("kind" IN
          ('post.created', 'post.updated', 'post.removed', 'author.updated', 'author.removed', 'author.restored'))
      )`);
    await q.query(`CREATE INDEX "change_events_created_idx" ON "change_events" ("created_at")`);

    // Numbers the row in commit order and announces it (deferred to commit time, see above).
    await q.query(`
      CREATE FUNCTION change_events_publish() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        n bigint;
        at timestamptz;
      BEGIN
        PERFORM pg_advisory_xact_lock(7417021925);
        n := nextval('change_events_seq');
        -- The commit's time, not the transaction's start, so that created_at follows seq.
        at := clock_timestamp();
        UPDATE change_events SET seq = n, created_at = at WHERE id = NEW.id;
        PERFORM pg_notify('nuell_changes', json_build_object(
          'seq', n, 'kind', NEW.kind, 'postId', NEW.post_id, 'authorId', NEW.author_id, 'public', NEW.public,
          'at', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER "change_events_publish" AFTER INSERT ON "change_events"
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION change_events_publish()`);

    // A post is seen by readers when published, not hidden, and its author is active.
    await q.query(`
      CREATE FUNCTION posts_change_event() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        was_seen boolean := false;
        is_seen boolean := false;
        kind text;
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          was_seen := OLD.status = 'published' AND OLD.hidden_at IS NULL
            AND EXISTS (SELECT 1 FROM users WHERE id = OLD.author_id AND is_active);
        END IF;
        IF TG_OP <> 'DELETE' THEN
          is_seen := NEW.status = 'published' AND NEW.hidden_at IS NULL
            AND EXISTS (SELECT 1 FROM users WHERE id = NEW.author_id AND is_active);
        END IF;
        IF is_seen AND NOT was_seen THEN
          kind := 'post.created';
        ELSIF was_seen AND NOT is_seen THEN
          kind := 'post.removed';
        ELSIF is_seen AND (NEW.title, NEW.short_id, NEW.content, NEW.content_html, NEW.excerpt, NEW.word_count,
                           NEW.reading_time_minutes, NEW.published_at, NEW.version)
                 IS DISTINCT FROM (OLD.title, OLD.short_id, OLD.content, OLD.content_html, OLD.excerpt, OLD.word_count,
                           OLD.reading_time_minutes, OLD.published_at, OLD.version) THEN
          kind := 'post.updated';
        ELSE
          RETURN NULL;
        END IF;
        INSERT INTO change_events (kind, post_id, author_id)
          VALUES (kind, COALESCE(NEW.id, OLD.id), COALESCE(NEW.author_id, OLD.author_id));
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER "posts_change_event" AFTER INSERT OR UPDATE OR DELETE ON "posts"
        FOR EACH ROW EXECUTE FUNCTION posts_change_event()`);

    // An author leaves with all their posts when suspended or deleted, and comes back with them.
    // Every such change drops cached profiles, but only an author with a post readers can see is
    // news to the public stream (`public`): an account that never published stays out of it. A
    // deletion is seen BEFORE it happens, while the account's posts are still there to look at
    // (the cascade removes them before any AFTER trigger of the account's row runs).
    await q.query(`
      CREATE FUNCTION users_change_event() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        kind text;
        account users;
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF NOT OLD.is_active THEN RETURN OLD; END IF;
          kind := 'author.removed';
          account := OLD;
        ELSIF OLD.is_active AND NOT NEW.is_active THEN
          kind := 'author.removed';
          account := NEW;
        ELSIF NEW.is_active AND NOT OLD.is_active THEN
          kind := 'author.restored';
          account := NEW;
        ELSIF NEW.is_active AND (NEW.display_name, NEW.bio, NEW.link)
                 IS DISTINCT FROM (OLD.display_name, OLD.bio, OLD.link) THEN
          kind := 'author.updated';
          account := NEW;
        ELSE
          RETURN NULL;
        END IF;
        INSERT INTO change_events (kind, author_id, public)
          VALUES (kind, account.id, EXISTS (
            SELECT 1 FROM posts
             WHERE author_id = account.id AND status = 'published' AND hidden_at IS NULL));
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER "users_change_event" AFTER UPDATE ON "users"
        FOR EACH ROW EXECUTE FUNCTION users_change_event()`);
    await q.query(`
      CREATE TRIGGER "users_deletion_change_event" BEFORE DELETE ON "users"
        FOR EACH ROW EXECUTE FUNCTION users_change_event()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "users_deletion_change_event" ON "users"`);
    await q.query(`DROP TRIGGER "users_change_event" ON "users"`);
    await q.query(`DROP FUNCTION users_change_event()`);
    await q.query(`DROP TRIGGER "posts_change_event" ON "posts"`);
    await q.query(`DROP FUNCTION posts_change_event()`);
    await q.query(`DROP TABLE "change_events"`);
    await q.query(`DROP FUNCTION change_events_publish()`);
    await q.query(`DROP SEQUENCE "change_events_seq"`);
  }
}
