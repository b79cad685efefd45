"""Thread.views_counted_through: view_count now holds the views of every day up to it.

Before, view_count was not kept (the page summed every ThreadViewDay row of the thread, 5 ms
on a two-year-old thread). The data step folds each thread's day rows up to three days ago,
so the page adds only the few rows after that.
"""

from django.db import migrations, models

FOLD = """
UPDATE forum_thread t
   SET views_counted_through = current_date - 3,
       view_count = COALESCE((SELECT SUM(d.views) FROM forum_threadviewday d
                               WHERE d.thread_id = t.id AND d.day <= current_date - 3), 0);
"""
UNFOLD = "UPDATE forum_thread SET view_count = 0;"


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0006_search_clarified_lookup"),
    ]

    operations = [
        migrations.AddField(
            model_name="thread",
            name="views_counted_through",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunSQL(FOLD, UNFOLD),
    ]
