"""The publishing gate's second half, kept by PostgreSQL on every path.

The Topic CheckConstraint says "published => moderator and back-office". These constraint
triggers add "and the back-office has a member other than the moderator". They are
DEFERRABLE INITIALLY DEFERRED: they look at the committed state of the transaction, so a
member replaced or a back-office swapped within one transaction passes. Services run
`SET CONSTRAINTS ... IMMEDIATE` to turn a violation into a readable message early.
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
  IF NOT EXISTS (SELECT 1 FROM moderation_backofficemembership m
                 WHERE m.back_office_id = t.back_office_id
                   AND m.employee_id <> t.moderator_id) THEN
    RAISE EXCEPTION 'The published topic "%" (id %) needs a back-office with a member other than its moderator.', t.name, t.id
      USING ERRCODE = '23514', CONSTRAINT = 'topic_back_office_has_expert';
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER topic_back_office_has_expert
  AFTER INSERT OR UPDATE OF published_at, moderator_id, back_office_id ON forum_topic
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION moderation_topic_has_expert();

CREATE OR REPLACE FUNCTION moderation_membership_keeps_expert() RETURNS trigger AS $$
DECLARE t RECORD;
BEGIN
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

CREATE CONSTRAINT TRIGGER backoffice_membership_keeps_expert
  AFTER DELETE OR UPDATE ON moderation_backofficemembership
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION moderation_membership_keeps_expert();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS backoffice_membership_keeps_expert ON moderation_backofficemembership;
DROP FUNCTION IF EXISTS moderation_membership_keeps_expert();
DROP TRIGGER IF EXISTS topic_back_office_has_expert ON forum_topic;
DROP FUNCTION IF EXISTS moderation_topic_has_expert();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_initial"),
        ("forum", "0002_initial"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
