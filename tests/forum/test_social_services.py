"""Issue 15, social: mentions and useful marks on the service path and on raw SQL paths,
the units' usual topics."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from forum import services
from forum.markdown import parse_markdown, render_markdown
from forum.models import MENTIONS_PER_POST, Mention, Post, UnitTopic, UsefulMark

# Mentions ---------------------------------------------------------------------------------


@pytest.fixture
def ola(make_employee):
    return make_employee("Ola Nordmann", email="ola.nordmann@nav.example")


def test_a_mention_of_a_colleague_is_a_link_to_their_profile_and_is_stored(
    thread, ola, other_employee
):
    post = services.post_reply(thread, author=other_employee, body="Spør @ola.nordmann om dette.")
    assert f'<a href="/ansatt/{ola.pk}/" class="mention"' in post.body_html
    assert list(Mention.objects.filter(post=post).values_list("employee_id", flat=True)) == [ola.pk]


def test_unknown_handles_code_links_and_e_mail_addresses_are_not_mentions(
    thread, other_employee, ola
):
    body = "@ingen.her `@ola.nordmann` [@ola.nordmann](https://x.example) ola.nordmann@nav.example"
    post = services.post_reply(thread, author=other_employee, body=body)
    assert 'class="mention"' not in post.body_html
    assert "@ingen.her" in post.body_html
    assert not Mention.objects.filter(post=post).exists()
    assert parse_markdown(body).handles == ["ingen.her"]


def test_an_inactive_employee_is_not_mentioned(thread, other_employee, ola):
    ola.is_active = False
    ola.save(update_fields=["is_active"])
    post = services.post_reply(thread, author=other_employee, body="Hei @ola.nordmann")
    assert 'class="mention"' not in post.body_html
    assert not Mention.objects.exists()


def test_the_author_is_not_mentioned_by_their_own_post(thread, ola):
    post = services.post_reply(thread, author=ola, body="Jeg (@ola.nordmann) svarer.")
    assert 'class="mention"' in post.body_html
    assert not Mention.objects.filter(post=post).exists()


def test_a_thread_and_an_edit_mention_too_once_per_person(topic, employee, ola):
    thread = services.start_thread(
        topic, author=employee, title="Spørsmål", body="@ola.nordmann vet du?", kind="question"
    )
    opening = thread.posts.get(position=1)
    assert Mention.objects.filter(post=opening, employee=ola).count() == 1
    from forum import querysets

    services.edit_post(
        querysets.post_with_thread(opening.pk), editor=employee, body="@ola.nordmann @OLA.nordmann?"
    )
    assert Mention.objects.filter(post=opening).count() == 1


def test_someone_who_cannot_see_the_topic_is_named_to_the_writer_and_not_mentioned(
    make_topic, make_employee, ola
):
    moderator = make_employee("Mona Moderator")
    draft = make_topic("Utkast", published=False, moderator=moderator)
    thread = services.start_thread(draft, author=moderator, title="Utkast", body="Tekst")
    from forum import querysets

    thread = querysets.thread_for_writing(thread.pk)
    with pytest.raises(services.UnseenMentions) as refused:
        services.post_reply(thread, author=moderator, body="Hva mener @ola.nordmann?")
    assert refused.value.handles == ["ola.nordmann"]
    assert "Ola Nordmann cannot see this topic" in refused.value.messages[0]
    assert Post.objects.filter(thread=thread).count() == 1  # nothing was posted
    post = services.post_reply(
        thread, author=moderator, body="Hva mener @ola.nordmann?",
        acknowledged_mentions=["ola.nordmann"],
    )  # fmt: skip
    assert not Mention.objects.filter(post=post).exists()


def test_the_staff_of_a_draft_topic_are_mentioned_in_it(make_topic, make_employee):
    moderator = make_employee("Mona Moderator", email="mona@nav.example")
    expert = make_employee("Erik Ekspert", email="erik@nav.example")
    draft = make_topic("Utkast", published=False, moderator=moderator)
    from moderation import services as moderation_services
    from moderation.models import BackOffice

    back_office = BackOffice.objects.get(pk=draft.back_office_id)
    admin = draft.moderator  # any acting employee; the service records who
    moderation_services.set_back_office_members(
        back_office, members=[*back_office.members.all(), expert], by=admin
    )
    thread = services.start_thread(draft, author=moderator, title="Utkast", body="Tekst")
    from forum import querysets

    post = services.post_reply(
        querysets.thread_for_writing(thread.pk), author=moderator, body="@erik ser du?"
    )
    assert list(Mention.objects.filter(post=post).values_list("employee_id", flat=True)) == [
        expert.pk
    ]


def test_more_than_ten_people_is_a_clear_error(thread, other_employee, make_employee):
    people = [make_employee(f"P {n}", email=f"p{n}@nav.example") for n in range(11)]
    body = " ".join(f"@p{n}" for n in range(11))
    with pytest.raises(ValidationError) as refused:
        services.post_reply(thread, author=other_employee, body=body)
    assert "at most 10 people; this one mentions 11" in refused.value.message_dict["body"][0]
    ten = " ".join(f"@p{n}" for n in range(10))
    post = services.post_reply(thread, author=other_employee, body=ten)
    assert Mention.objects.filter(post=post).count() == MENTIONS_PER_POST
    assert len(people) == 11


def test_the_database_refuses_an_eleventh_mention_and_a_second_of_one_person(thread, make_employee):
    post = thread.posts.get(position=1)
    people = [make_employee(f"P {n}") for n in range(11)]
    Mention.objects.bulk_create([Mention(post=post, employee=p) for p in people[:10]])
    with pytest.raises(IntegrityError, match="at most 10 people"), transaction.atomic():
        Mention.objects.create(post=post, employee=people[10])
    with pytest.raises(IntegrityError), transaction.atomic():
        Mention.objects.create(post=post, employee=people[0])


def test_rerendering_keeps_the_mention_links(thread, ola):
    post = thread.posts.get(position=1)
    Post.objects.filter(pk=post.pk).update(body_md="Hei @ola.nordmann", renderer_version=1)
    assert services.rerender_posts() >= 1
    post.refresh_from_db()
    assert post.body_html == render_markdown(
        "Hei @ola.nordmann", {"ola.nordmann": f"/ansatt/{ola.pk}/"}
    )
    assert not Mention.objects.exists()  # re-rendering tells nobody


def test_a_mention_link_is_sanitised_like_any_other(thread, other_employee):
    html = render_markdown("@x", {"x": "javascript:alert(1)"})
    assert "javascript" not in html


# Useful marks -------------------------------------------------------------------------------


@pytest.fixture
def opening(thread):
    return thread.posts.get(position=1)


def test_a_colleague_marks_a_post_useful_once_and_takes_it_back(opening, other_employee):
    assert services.mark_useful(opening, by=other_employee).useful_count == 1
    assert services.mark_useful(opening, by=other_employee).useful_count == 1
    opening.refresh_from_db()
    assert opening.useful_count == 1
    assert services.unmark_useful(opening, by=other_employee).useful_count == 0
    assert services.unmark_useful(opening, by=other_employee).useful_count == 0
    opening.refresh_from_db()
    assert opening.useful_count == 0 and not UsefulMark.objects.exists()


def test_the_author_cannot_mark_their_own_post(opening, employee):
    with pytest.raises(ValidationError, match="your own post"):
        services.mark_useful(opening, by=employee)
    assert not UsefulMark.objects.exists()


def test_the_database_refuses_a_mark_on_ones_own_post_and_a_second_mark(
    opening, employee, other_employee
):
    with pytest.raises(IntegrityError, match="cannot mark their own post"), transaction.atomic():
        UsefulMark.objects.create(post=opening, employee=employee)
    UsefulMark.objects.create(post=opening, employee=other_employee)
    with pytest.raises(IntegrityError), transaction.atomic():
        UsefulMark.objects.create(post=opening, employee=other_employee)
    mark = UsefulMark.objects.get()
    with pytest.raises(IntegrityError, match="cannot mark their own post"), transaction.atomic():
        UsefulMark.objects.filter(pk=mark.pk).update(employee=employee)


def test_the_count_is_exact_on_raw_paths(opening, thread, make_employee, other_employee):
    people = [make_employee(f"P {n}") for n in range(3)]
    with connection.cursor() as cursor:
        for person in people:
            cursor.execute(
                f"INSERT INTO {UsefulMark._meta.db_table} (post_id, employee_id, created_at) "
                "VALUES (%s, %s, now())",
                [opening.pk, person.pk],
            )
    opening.refresh_from_db()
    assert opening.useful_count == 3
    reply = services.post_reply(thread, author=other_employee, body="Svar")
    UsefulMark.objects.filter(employee=people[0]).update(post=reply)
    UsefulMark.objects.filter(employee=people[1]).delete()
    opening.refresh_from_db()
    reply.refresh_from_db()
    assert (opening.useful_count, reply.useful_count) == (1, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.filter(pk=opening.pk).update(useful_count=-1)


def test_a_hidden_post_cannot_be_marked(opening, other_employee, moderator):
    from django.utils import timezone

    Post.objects.filter(pk=opening.pk).update(hidden_at=timezone.now(), hidden_by=moderator)
    with pytest.raises(ValidationError, match="no longer shown"):
        services.mark_useful(opening, by=other_employee)


# The units' usual topics ------------------------------------------------------------------


def test_a_units_usual_topics_are_where_its_people_wrote_most(
    make_topic, employee, other_employee, make_employee, unit
):
    busy, quiet = make_topic("Travelt"), make_topic("Stille")
    for n in range(3):
        services.start_thread(busy, author=employee, title=f"T{n}", body="B")
    services.start_thread(quiet, author=other_employee, title="S", body="B")
    assert services.refresh_unit_topics(per_unit=1) == 1
    assert list(UnitTopic.objects.values_list("unit_id", "topic_id", "posts")) == [
        (unit.pk, busy.pk, 3)
    ]
    services.refresh_unit_topics()
    assert set(UnitTopic.objects.values_list("topic_id", flat=True)) == {busy.pk, quiet.pk}
