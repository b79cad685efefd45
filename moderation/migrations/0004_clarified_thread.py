"""ClarifiedAnswer.thread: the clarified post's thread, kept by the database.

A thread page lists its clarified answers; without the column that is a join from every
clarified answer in the forum to its post (17 ms at 2,328 answers, growing with the forum).
A BEFORE INSERT OR UPDATE trigger copies the post's thread_id into the row, so a raw insert
without it, or one naming another thread, still stores the right thread.
"""

import django.db.models.deletion
from django.db import migrations, models

TRIGGER = """
CREATE FUNCTION moderation_clarified_thread() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT thread_id INTO NEW.thread_id FROM forum_post WHERE id = NEW.post_id;
    RETURN NEW;
END $$;
CREATE TRIGGER moderation_clarified_thread
    BEFORE INSERT OR UPDATE OF post_id, thread_id ON moderation_clarifiedanswer
    FOR EACH ROW EXECUTE FUNCTION moderation_clarified_thread();
UPDATE moderation_clarifiedanswer c SET thread_id = p.thread_id
  FROM forum_post p WHERE p.id = c.post_id;
"""
DROP = """
DROP TRIGGER moderation_clarified_thread ON moderation_clarifiedanswer;
DROP FUNCTION moderation_clarified_thread();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0006_search_clarified_lookup"),
        ("moderation", "0003_staffing_trigger_locks"),
    ]

    operations = [
        migrations.AddField(
            model_name="clarifiedanswer",
            name="thread",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="clarified_answers",
                to="forum.thread",
            ),
        ),
        migrations.RunSQL(TRIGGER, DROP),
        migrations.AlterField(
            model_name="clarifiedanswer",
            name="thread",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="clarified_answers",
                to="forum.thread",
            ),
        ),
    ]
