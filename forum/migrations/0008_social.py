"""Issue 15's social part: mentions, useful marks (with Post.useful_count), the units' usual
topics, and the database rules behind them:

- a useful mark is never on one's own post: BEFORE INSERT OR UPDATE on forum_usefulmark
  (check_violation, named usefulmark_not_own_post);
- Post.useful_count is the number of its marks on every path: AFTER INSERT, DELETE and
  UPDATE OF post_id add and take away; AFTER TRUNCATE zeroes the counts;
- at most 10 mentions per post: AFTER INSERT OR UPDATE on forum_mention
  (check_violation, named mention_max_per_post).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


TRIGGERS = """
CREATE FUNCTION forum_usefulmark_not_own() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM forum_post WHERE id = NEW.post_id AND author_id = NEW.employee_id)
    THEN
        RAISE EXCEPTION 'an employee cannot mark their own post useful'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'usefulmark_not_own_post';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER forum_usefulmark_not_own
    BEFORE INSERT OR UPDATE OF post_id, employee_id ON forum_usefulmark
    FOR EACH ROW EXECUTE FUNCTION forum_usefulmark_not_own();

CREATE FUNCTION forum_usefulmark_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE forum_post SET useful_count = useful_count - 1 WHERE id = OLD.post_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE forum_post SET useful_count = useful_count + 1 WHERE id = NEW.post_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER forum_usefulmark_count
    AFTER INSERT OR DELETE OR UPDATE OF post_id ON forum_usefulmark
    FOR EACH ROW EXECUTE FUNCTION forum_usefulmark_count();

CREATE FUNCTION forum_usefulmark_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE forum_post SET useful_count = 0 WHERE useful_count <> 0;
    RETURN NULL;
END $$;
CREATE TRIGGER forum_usefulmark_truncate
    AFTER TRUNCATE ON forum_usefulmark
    FOR EACH STATEMENT EXECUTE FUNCTION forum_usefulmark_truncate();

CREATE FUNCTION forum_mention_max() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT count(*) FROM forum_mention WHERE post_id = NEW.post_id) > 10 THEN
        RAISE EXCEPTION 'a post can mention at most 10 people'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'mention_max_per_post';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER forum_mention_max
    AFTER INSERT OR UPDATE OF post_id ON forum_mention
    FOR EACH ROW EXECUTE FUNCTION forum_mention_max();
"""
DROP = """
DROP TRIGGER forum_mention_max ON forum_mention;
DROP FUNCTION forum_mention_max();
DROP TRIGGER forum_usefulmark_truncate ON forum_usefulmark;
DROP FUNCTION forum_usefulmark_truncate();
DROP TRIGGER forum_usefulmark_count ON forum_usefulmark;
DROP FUNCTION forum_usefulmark_count();
DROP TRIGGER forum_usefulmark_not_own ON forum_usefulmark;
DROP FUNCTION forum_usefulmark_not_own();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_employee_employee_handle"),
        ("forum", "0007_thread_views_counted_through"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Mention",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="mentioned"
                    ),
                ),
            ],
            options={
                "verbose_name": "mention",
                "verbose_name_plural": "mentions",
            },
        ),
        migrations.CreateModel(
            name="UnitTopic",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("posts", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name="UsefulMark",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="marked"),
                ),
            ],
            options={
                "verbose_name": "useful mark",
                "verbose_name_plural": "useful marks",
            },
        ),
        migrations.AddField(
            model_name="post",
            name="useful_count",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="marked useful"
            ),
        ),
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                models.F("thread"),
                models.OrderBy(models.F("useful_count"), descending=True),
                models.F("position"),
                name="post_thread_useful",
            ),
        ),
        migrations.AddField(
            model_name="mention",
            name="employee",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="mentions",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="mention",
            name="post",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="mentions",
                to="forum.post",
            ),
        ),
        migrations.AddField(
            model_name="unittopic",
            name="topic",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="forum.topic"
            ),
        ),
        migrations.AddField(
            model_name="unittopic",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="accounts.unit"
            ),
        ),
        migrations.AddField(
            model_name="usefulmark",
            name="employee",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="useful_marks",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="usefulmark",
            name="post",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="useful_marks",
                to="forum.post",
            ),
        ),
        migrations.AddIndex(
            model_name="mention",
            index=models.Index(
                models.F("employee"),
                models.OrderBy(models.F("created_at"), descending=True),
                name="mention_employee_recent",
            ),
        ),
        migrations.AddConstraint(
            model_name="mention",
            constraint=models.UniqueConstraint(fields=("post", "employee"), name="mention_unique"),
        ),
        migrations.AddConstraint(
            model_name="unittopic",
            constraint=models.UniqueConstraint(fields=("unit", "topic"), name="unittopic_unique"),
        ),
        migrations.AddIndex(
            model_name="usefulmark",
            index=models.Index(fields=["created_at"], name="usefulmark_created"),
        ),
        migrations.AddConstraint(
            model_name="usefulmark",
            constraint=models.UniqueConstraint(
                fields=("post", "employee"), name="usefulmark_unique"
            ),
        ),
        migrations.RunSQL(TRIGGERS, DROP),
    ]
