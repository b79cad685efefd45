"""django-guardian's rows on topics, derived from staffing by PostgreSQL on every path.

Staffing is stored once: the topic's moderator_id, deputy_moderator_id and back_office_id,
and moderation_backofficemembership. The guardian UserObjectPermission rows on a topic
(content type forum.topic) are derived from it:

- ``moderate_topic``    the moderator and the deputy;
- ``view_consultation`` the moderator, the deputy and every member of the back-office.

`moderation_staffing_grants(...)` says what staffing gives, in one SQL function;
`moderation_recompute_topic_grants(topic ids)` makes a topic's user rows of these two
permissions exactly that (deletes the others, inserts the missing ones). Triggers call it:

- AFTER INSERT on forum_topic and AFTER UPDATE when a staffing column changes value (a
  WHEN clause, so the forum's counter updates never enter PL/pgSQL);
- AFTER INSERT, UPDATE, DELETE on moderation_backofficemembership: every topic of the old
  and the new back-office;
- AFTER DELETE on forum_topic: the topic's rows go with it (guardian's object_pk is text,
  with no foreign key to cascade);
- AFTER TRUNCATE (statement level, row triggers do not fire on TRUNCATE): of forum_topic,
  every derived row goes; of the memberships, every topic is recomputed.

The permissions and the content type are looked up by (app_label, model, codename) on each
call: their ids differ between databases and change after a flush. If the Permission rows
do not exist (they are created by moderation's post_migrate handler), the function raises
rather than leave staffing without its rights; with nothing to grant it does nothing.

Concurrency: every trigger locks the back-office rows involved (a membership's
back-office; a topic's old and new back-office) before it reads anything, the lock the
publishing-gate triggers of 0003 and the staffing services take. A membership change and a
topic's new staffing in two transactions are therefore recomputed one after the other, and
the second (READ COMMITTED: a fresh snapshot per statement once it holds the lock) sees the
first's rows. Without it, each would miss the other's uncommitted row and an expert added to
a back-office as a topic moved to it would never get the topic's rights (test_concurrency).
Topic rows are not locked by the membership trigger, so no cycle with staff_topic (which
locks the topic, then the back-office) can form.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION moderation_staffing_grants(topic_ids bigint[], moderate integer, consult integer)
RETURNS TABLE (object_pk varchar(255), user_id bigint, permission_id integer)
LANGUAGE sql STABLE AS $$
  SELECT t.id::text, s.user_id, p.permission_id
    FROM forum_topic t
   CROSS JOIN LATERAL (VALUES (t.moderator_id), (t.deputy_moderator_id)) AS s(user_id)
   CROSS JOIN (VALUES (moderate), (consult)) AS p(permission_id)
   WHERE t.id = ANY(topic_ids) AND s.user_id IS NOT NULL
  UNION
  SELECT t.id::text, m.employee_id, consult
    FROM forum_topic t
    JOIN moderation_backofficemembership m ON m.back_office_id = t.back_office_id
   WHERE t.id = ANY(topic_ids)
$$;

CREATE FUNCTION moderation_recompute_topic_grants(topic_ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  ct integer;
  moderate integer;
  consult integer;
BEGIN
  IF topic_ids IS NULL OR cardinality(topic_ids) = 0 THEN
    RETURN;
  END IF;
  SELECT id INTO ct FROM django_content_type WHERE app_label = 'forum' AND model = 'topic';
  SELECT id INTO moderate FROM auth_permission
   WHERE content_type_id = ct AND codename = 'moderate_topic';
  SELECT id INTO consult FROM auth_permission
   WHERE content_type_id = ct AND codename = 'view_consultation';
  PERFORM 1 FROM moderation_backoffice b
   WHERE b.id IN (SELECT back_office_id FROM forum_topic WHERE id = ANY(topic_ids))
   ORDER BY b.id FOR UPDATE;
  IF moderate IS NULL OR consult IS NULL THEN
    IF EXISTS (SELECT 1 FROM forum_topic t
                WHERE t.id = ANY(topic_ids)
                  AND (t.moderator_id IS NOT NULL OR t.deputy_moderator_id IS NOT NULL
                       OR EXISTS (SELECT 1 FROM moderation_backofficemembership m
                                   WHERE m.back_office_id = t.back_office_id))) THEN
      RAISE EXCEPTION 'Staffing gives the django-guardian permissions forum.topic '
        'moderate_topic and view_consultation, but they do not exist in auth_permission: '
        'run "manage.py migrate" (its post_migrate step creates them).'
        USING ERRCODE = '55000';  -- object_not_in_prerequisite_state
    END IF;
    RETURN;  -- nothing to grant, and no row of a missing permission to revoke
  END IF;

  DELETE FROM guardian_userobjectpermission g
   WHERE g.content_type_id = ct
     AND g.permission_id IN (moderate, consult)
     AND g.object_pk = ANY(topic_ids::text[])
     AND (g.object_pk, g.user_id, g.permission_id) NOT IN
         (SELECT * FROM moderation_staffing_grants(topic_ids, moderate, consult));
  INSERT INTO guardian_userobjectpermission (object_pk, content_type_id, permission_id, user_id)
  SELECT w.object_pk, ct, w.permission_id, w.user_id
    FROM moderation_staffing_grants(topic_ids, moderate, consult) w
  ON CONFLICT (user_id, permission_id, object_pk) DO NOTHING;
END
$$;

CREATE FUNCTION moderation_topic_grants() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN  -- the back-office the topic leaves, too (see "Concurrency")
    PERFORM 1 FROM moderation_backoffice
     WHERE id IN (OLD.back_office_id, NEW.back_office_id) ORDER BY id FOR UPDATE;
  END IF;
  PERFORM moderation_recompute_topic_grants(ARRAY[NEW.id]);
  RETURN NULL;
END
$$;

CREATE TRIGGER topic_staffing_grants_insert
  AFTER INSERT ON forum_topic
  FOR EACH ROW
  WHEN (NEW.moderator_id IS NOT NULL OR NEW.deputy_moderator_id IS NOT NULL
        OR NEW.back_office_id IS NOT NULL)
  EXECUTE FUNCTION moderation_topic_grants();

CREATE TRIGGER topic_staffing_grants_update
  AFTER UPDATE OF moderator_id, deputy_moderator_id, back_office_id ON forum_topic
  FOR EACH ROW
  WHEN (OLD.moderator_id IS DISTINCT FROM NEW.moderator_id
        OR OLD.deputy_moderator_id IS DISTINCT FROM NEW.deputy_moderator_id
        OR OLD.back_office_id IS DISTINCT FROM NEW.back_office_id)
  EXECUTE FUNCTION moderation_topic_grants();

CREATE FUNCTION moderation_topic_grants_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM guardian_userobjectpermission g
   USING auth_permission p, django_content_type c
   WHERE g.object_pk = OLD.id::text
     AND g.permission_id = p.id AND g.content_type_id = c.id AND p.content_type_id = c.id
     AND c.app_label = 'forum' AND c.model = 'topic'
     AND p.codename IN ('moderate_topic', 'view_consultation');
  RETURN NULL;
END
$$;

CREATE TRIGGER topic_staffing_grants_delete
  AFTER DELETE ON forum_topic
  FOR EACH ROW EXECUTE FUNCTION moderation_topic_grants_delete();

CREATE FUNCTION moderation_topic_grants_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM guardian_userobjectpermission g
   USING auth_permission p, django_content_type c
   WHERE g.permission_id = p.id AND g.content_type_id = c.id AND p.content_type_id = c.id
     AND c.app_label = 'forum' AND c.model = 'topic'
     AND p.codename IN ('moderate_topic', 'view_consultation');
  RETURN NULL;
END
$$;

CREATE TRIGGER topic_staffing_grants_truncate
  AFTER TRUNCATE ON forum_topic
  FOR EACH STATEMENT EXECUTE FUNCTION moderation_topic_grants_truncate();

CREATE FUNCTION moderation_membership_grants() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  back_offices bigint[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    back_offices := ARRAY[NEW.back_office_id];
  ELSIF TG_OP = 'DELETE' THEN
    back_offices := ARRAY[OLD.back_office_id];
  ELSE
    back_offices := ARRAY[OLD.back_office_id, NEW.back_office_id];
  END IF;
  -- Lock first, then read the topics: a fresh snapshot sees a staffing change that
  -- committed while we waited.
  PERFORM 1 FROM moderation_backoffice WHERE id = ANY(back_offices) ORDER BY id FOR UPDATE;
  PERFORM moderation_recompute_topic_grants(
    ARRAY(SELECT id FROM forum_topic WHERE back_office_id = ANY(back_offices) ORDER BY id));
  RETURN NULL;
END
$$;

CREATE TRIGGER backoffice_membership_grants
  AFTER INSERT OR UPDATE OR DELETE ON moderation_backofficemembership
  FOR EACH ROW EXECUTE FUNCTION moderation_membership_grants();

CREATE FUNCTION moderation_membership_grants_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM moderation_recompute_topic_grants(
    ARRAY(SELECT id FROM forum_topic WHERE back_office_id IS NOT NULL ORDER BY id));
  RETURN NULL;
END
$$;

CREATE TRIGGER backoffice_membership_grants_truncate
  AFTER TRUNCATE ON moderation_backofficemembership
  FOR EACH STATEMENT EXECUTE FUNCTION moderation_membership_grants_truncate();

-- Rows written before this migration by the removed sync function: recompute them all.
SELECT moderation_recompute_topic_grants(ARRAY(SELECT id FROM forum_topic ORDER BY id));
"""

BACKWARD = """
DROP TRIGGER backoffice_membership_grants_truncate ON moderation_backofficemembership;
DROP FUNCTION moderation_membership_grants_truncate();
DROP TRIGGER backoffice_membership_grants ON moderation_backofficemembership;
DROP FUNCTION moderation_membership_grants();
DROP TRIGGER topic_staffing_grants_truncate ON forum_topic;
DROP FUNCTION moderation_topic_grants_truncate();
DROP TRIGGER topic_staffing_grants_delete ON forum_topic;
DROP FUNCTION moderation_topic_grants_delete();
DROP TRIGGER topic_staffing_grants_update ON forum_topic;
DROP TRIGGER topic_staffing_grants_insert ON forum_topic;
DROP FUNCTION moderation_topic_grants();
DROP FUNCTION moderation_recompute_topic_grants(bigint[]);
DROP FUNCTION moderation_staffing_grants(bigint[], integer, integer);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0004_clarified_thread"),
        ("forum", "0007_thread_views_counted_through"),
        ("guardian", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
