from django.core.management import call_command

from forum.markdown import RENDERER_VERSION
from forum.models import Post, Thread, Topic


def test_demo_forum_is_published_staffed_and_idempotent(db):
    call_command("seed_demo")
    counts = (Topic.objects.count(), Thread.objects.count(), Post.objects.count())
    call_command("seed_demo")
    assert (Topic.objects.count(), Thread.objects.count(), Post.objects.count()) == counts
    assert Topic.objects.filter(published_at__isnull=True).count() == 1  # the draft
    assert Topic.objects.filter(parent__isnull=False, published_at__isnull=False).count() >= 6
    assert counts[1] >= 10 and counts[2] >= 30
    for topic in Topic.objects.filter(thread_count__gt=0):
        assert topic.post_count == Post.objects.filter(thread__topic=topic).count()
    assert Thread.objects.filter(solution_post__isnull=False).exists()


def test_rerender_posts_command(thread, capsys):
    Post.objects.update(body_html="", renderer_version=0)
    call_command("rerender_posts")
    assert "Re-rendered 1 posts" in capsys.readouterr().out
    assert Post.objects.get().renderer_version == RENDERER_VERSION
