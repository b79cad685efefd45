"""The thread page's two reads are plain SQL (forum.querysets); they must return exactly what
the equivalent ORM querysets return, whatever the rows hold."""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import Employee
from forum import querysets, services
from forum.models import Post, Thread, ThreadViewDay
from moderation import services as moderation_services
from moderation.models import ClarifiedAnswer, Escalation


def test_thread_for_page_equals_the_orm_read(thread, department, moderator):
    ThreadViewDay.objects.create(thread=thread, day=timezone.localdate(), bucket=1, views=7)
    ThreadViewDay.objects.create(
        thread=thread, day=timezone.localdate() - timedelta(days=400), bucket=0, views=5
    )
    Thread.objects.filter(pk=thread.pk).update(views_counted_through=None, view_count=0)
    for with_moderation in (False, True):
        if with_moderation:
            moderation_services.clarify_post(thread.posts.get(), by=moderator)
            Escalation.objects.create(
                thread=thread, department=department, category="routine", summary="S",
                escalated_by=moderator,
            )  # fmt: skip
        expected = (
            Thread.objects.select_related("topic__parent")
            .annotate(
                views=querysets.view_totals(),
                has_clarified=Exists(ClarifiedAnswer.objects.filter(thread=OuterRef("pk"))),
                has_escalations=Exists(Escalation.objects.filter(thread=OuterRef("pk"))),
            )
            .get(pk=thread.pk)
        )
        got = querysets.thread_for_page(thread.pk)
        fields = [f.attname for f in Thread._meta.concrete_fields]
        assert [getattr(got, f) for f in fields] == [getattr(expected, f) for f in fields]
        assert got.topic.__dict__.keys() >= {"name", "slug", "level"}
        assert (got.topic.pk, got.topic.name, got.topic.parent) == (
            expected.topic.pk, expected.topic.name, expected.topic.parent,
        )  # fmt: skip
        assert (got.views, got.has_clarified, got.has_escalations) == (
            expected.views, with_moderation, with_moderation,
        )  # fmt: skip
        assert got.views == 12
    assert querysets.thread_for_page(thread.pk + 10_000) is None


def test_posts_on_page_equals_the_orm_read(
    thread, employee, other_employee, moderator, django_assert_num_queries
):
    for n in range(5):
        services.post_reply(thread, author=other_employee, body=f"Svar {n}")
    employee.unit = None  # an author without a unit
    employee.save()
    clarified = thread.posts.get(position=3)
    moderation_services.clarify_post(clarified, by=moderator)
    expected = list(
        Post.objects.filter(thread=thread, position__gte=2, position__lte=5)
        .select_related("author__unit__county", "clarification__clarified_by")
        .order_by("position")
    )
    with django_assert_num_queries(1):
        got = querysets.posts_on_page(thread, 2, 5)
        shown = []  # everything a page shows, without another query
        for post in got:
            author, unit = post.author, post.author.unit
            clarification = getattr(post, "clarification", None)
            shown.append((
                author.name, unit and unit.name, unit and unit.county.name, post.thread.title,
                post.body_html, clarification and clarification.clarified_by.name,
            ))  # fmt: skip
    assert shown[1][5] == moderator.name and shown[0][5] is None
    assert [p.pk for p in got] == [p.pk for p in expected]
    for post, ref in zip(got, expected, strict=True):
        for field in querysets.POST_FIELDS:
            assert getattr(post, field) == getattr(ref, field), field
        assert post.author.name == ref.author.name
        assert post.author.unit.county.name == ref.author.unit.county.name
    assert got[1].clarification.clarified_by.name == moderator.name
    first = querysets.posts_on_page(thread, 1, 1)[0]
    assert first.author.unit is None and first.author.pk == employee.pk
    assert isinstance(first.author, Employee)
    assert querysets.posts_on_page(thread, 40, 59) == []
