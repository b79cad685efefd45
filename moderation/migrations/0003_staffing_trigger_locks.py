"""Close the write skew in the staffing triggers.

Two transactions that each remove a different one of a back-office's last two experts
would each, at COMMIT, still see the other's expert and both pass. Each trigger now locks
the back-office row first: the second waits for the first to commit, then (READ COMMITTED:
a fresh snapshot per statement) sees its change and refuses.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION moderation_topic_has_expert() RETURNS trigger AS $$
DECLARE t RECORD;
BEGIN
  SELECT id, name, published_at, moderator_id, back_office_id INTO t
    FROM forum_topic WHERE id = NEW.id;
  IF NOT FOUND OR t.published_at IS NULL OR t.moderator_id IS NULL
     OR t.back_office_id IS NULL THEN
    RETURN NULL;  -- unpublished, or refused by topic_published_requires_staffing
  END IF;
  PERFORM 1 FROM moderation_backoffice WHERE id = t.back_office_id FOR UPDATE;
  IF NOT EXISTS (SELECT 1 FROM moderation_backofficemembership m
                 WHERE m.back_office_id = t.back_office_id
                   AND m.employee_id <> t.moderator_id) THEN
    RAISE EXCEPTION 'The published topic "%" (id %) needs a back-office with a member other than its moderator.', t.name, t.id
      USING ERRCODE = '23514', CONSTRAINT = 'topic_back_office_has_expert';
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION moderation_membership_keeps_expert() RETURNS trigger AS $$
DECLARE t RECORD;
BEGIN
  PERFORM 1 FROM moderation_backoffice WHERE id = OLD.back_office_id FOR UPDATE;
  FOR t IN SELECT tp.id, tp.name FROM forum_topic tp
           WHERE tp.back_office_id = OLD.back_office_id
             AND tp.published_at IS NOT NULL AND tp.moderator_id IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM moderation_backofficemembership m
                             WHERE m.back_office_id = tp.back_office_id
                               AND m.employee_id <> tp.moderator_id)
  LOOP
    RAISE EXCEPTION 'The published topic "%" (id %) would have no back-office member other than its moderator.', t.name, t.id
      USING ERRCODE = '23514', CONSTRAINT = 'backoffice_membership_keeps_expert';
  END LOOP;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("moderation", "0002_staffing_trigger")]

    # Backwards: 0002's functions without the lock are equivalent apart from the race.
    operations = [migrations.RunSQL(FORWARD, migrations.RunSQL.noop)]
