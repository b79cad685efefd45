import uuid

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from forum import services
from forum.models import Post, PostRevision, Thread, Topic
from moderation.models import ClarifiedAnswer, Escalation
from tests.forum.conftest import client_for


def reply_url(thread: Thread) -> str:
    return f"/trad/{thread.pk}/svar/"


def add_replies(thread: Thread, author, count: int) -> None:
    for n in range(count):
        services.post_reply(thread, author=author, body=f"Svar nummer {n}")


# Home ------------------------------------------------------------------------------------


def test_home_shows_published_topics_with_counts_and_hides_drafts(
    employee_client, thread, draft_topic
):
    html = employee_client.get("/").content.decode()
    assert thread.topic.name in html
    assert thread.topic.get_absolute_url() in html
    assert draft_topic.name not in html


def test_admins_see_draft_topics_on_home(admin_user, topic, draft_topic):
    html = client_for(admin_user).get("/").content.decode()
    assert draft_topic.name in html
    # Marked as a draft, and only the draft is.
    draft_row = html[html.index(draft_topic.name) :].split("</li>")[0]
    topic_row = html[html.index(f">{topic.name}<") :].split("</li>")[0]
    assert ">Utkast</span>" in draft_row and "Utkast" not in topic_row


def test_home_counts_include_subtopics(employee_client, make_topic, employee):
    group = make_topic("Ytelser")
    child = make_topic("Dagpenger", parent=group)
    services.start_thread(child, author=employee, title="T", body="B", kind="discussion")
    response = employee_client.get("/")
    tree = response.context["tree"].nodes
    assert tree[0]["threads"] == 1 and tree[0]["children"][0]["topic"] == child


@pytest.mark.parametrize("topics", [1, 15])
def test_home_query_count_is_fixed(employee_client, make_topic, topics, django_assert_num_queries):
    parent = make_topic("Gruppe")
    for n in range(topics):
        make_topic(f"Tema {n}", parent=parent)
    with django_assert_num_queries(4):  # session, employee, topics, header notifications
        assert employee_client.get("/").status_code == 200


# Topic page ------------------------------------------------------------------------------


def test_an_unpublished_topic_is_a_404_for_employees_but_open_to_its_staff(
    employee_client, draft_topic, make_topic
):
    assert employee_client.get(draft_topic.get_absolute_url()).status_code == 404
    moderator = make_topic.staff["moderator"]
    assert client_for(moderator).get(draft_topic.get_absolute_url()).status_code == 200
    assert employee_client.get(f"/tema/{draft_topic.slug}/ny-trad/").status_code == 404


def test_topic_lists_pinned_first_then_latest_activity(employee_client, topic, employee):
    old = services.start_thread(topic, author=employee, title="Gammel", body="B", kind="discussion")
    new = services.start_thread(topic, author=employee, title="Ny", body="B", kind="discussion")
    pinned = services.start_thread(topic, author=employee, title="Fest", body="B", kind="question")
    Thread.objects.filter(pk=pinned.pk).update(
        pinned=True, last_activity_at=timezone.now() - timezone.timedelta(days=9)
    )
    response = employee_client.get(topic.get_absolute_url())
    assert [t.pk for t in response.context["threads"]] == [pinned.pk, new.pk, old.pk]


def test_topic_marks_unread_threads(employee_client, other_client, thread, other_employee):
    # The author has read their own thread; the other employee has not.
    html = employee_client.get(thread.topic.get_absolute_url()).content.decode()
    assert "thread-row--unread" not in html
    html = other_client.get(thread.topic.get_absolute_url()).content.decode()
    assert "thread-row--unread" in html
    services.post_reply(thread, author=other_employee, body="Nytt svar")
    html = employee_client.get(thread.topic.get_absolute_url()).content.decode()
    assert "thread-row--unread" in html


def test_topic_pages(settings, employee_client, topic, employee):
    settings.FORUM_THREADS_PER_PAGE = 2
    for n in range(5):
        services.start_thread(topic, author=employee, title=f"T{n}", body="B", kind="discussion")
    url = topic.get_absolute_url()
    assert len(employee_client.get(url + "?page=3").context["threads"]) == 1
    assert employee_client.get(url + "?page=last").context["page"] == 3
    for bad in ("0", "-1", "abc", "4", "1" + "0" * 30, "1.5", "٣"):
        assert employee_client.get(url, {"page": bad}).status_code == 404, bad
    assert employee_client.get(url + "?page=%00").status_code == 400


@pytest.mark.parametrize("threads", [1, 30])
@pytest.mark.parametrize("subtopics", [False, True])
def test_topic_query_count_is_fixed(
    employee_client, make_topic, employee, threads, subtopics, django_assert_num_queries
):
    group = make_topic("Gruppe")
    topic = make_topic("Tema", parent=group)
    if subtopics:
        make_topic("Undertema", parent=topic)
        topic.refresh_from_db()
    for n in range(threads):
        services.start_thread(topic, author=employee, title=f"T{n}", body="B", kind="question")
    # session, employee, topic (with its parent, the only ancestor), threads, header
    # notifications; and where the tree says there are subtopics, those and their latest
    # threads (issue 14: a parent topic lists what happens below it)
    with django_assert_num_queries(7 if subtopics else 5):
        response = employee_client.get(topic.get_absolute_url())
    assert response.status_code == 200
    assert ("Undertema" in response.content.decode()) is subtopics


def test_breadcrumbs_name_every_ancestor_at_any_depth(
    employee_client, make_topic, employee, django_assert_num_queries
):
    root = make_topic("Rot")
    middle = make_topic("Midten", parent=root)
    leaf = make_topic("Bladet", parent=middle)
    thread = services.start_thread(leaf, author=employee, title="Dypt", body="B")
    for url in (leaf.get_absolute_url(), thread.get_absolute_url() + "?page=1"):
        html = employee_client.get(url).content.decode()
        crumbs = html[html.index("ds-breadcrumbs") :]
        assert crumbs.index("Rot") < crumbs.index("Midten") < crumbs.index("Bladet"), url


# Thread page -----------------------------------------------------------------------------


def test_thread_page_shows_posts_with_author_unit_and_county(employee_client, thread):
    html = employee_client.get(thread.get_absolute_url() + "?page=1").content.decode()
    assert thread.title in html
    assert "<strong>andre kontor</strong>" in html
    assert "Kari Nordmann" in html and "NAV Bergen sør" in html and "Vestland" in html
    assert '<time datetime="' in html
    assert 'id="p1"' in html


def test_thread_pages_use_positions(settings, employee_client, thread, other_employee):
    settings.FORUM_POSTS_PER_PAGE = 3
    add_replies(thread, other_employee, 6)  # 7 posts: pages of 3, 3, 1
    response = employee_client.get(thread.get_absolute_url() + "?page=3")
    assert [p.position for p in response.context["posts"]] == [7]
    response = employee_client.get(thread.get_absolute_url() + "?page=last")
    assert response.context["page"] == 3
    for bad in ("0", "-1", "abc", "4", "1" + "0" * 30, "\u00bd"):
        assert employee_client.get(thread.get_absolute_url(), {"page": bad}).status_code == 404


def test_opening_a_thread_jumps_to_the_first_unread_post(
    settings, employee_client, thread, other_employee
):
    settings.FORUM_POSTS_PER_PAGE = 3
    add_replies(thread, other_employee, 4)  # the author has read position 1 only
    response = employee_client.get(thread.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == f"{thread.get_absolute_url()}?page=1#p2"
    employee_client.get(thread.get_absolute_url() + "?page=2")  # read up to 5, the last
    assert employee_client.get(thread.get_absolute_url()).status_code == 200
    add_replies(thread, other_employee, 2)
    response = employee_client.get(thread.get_absolute_url())
    assert response["Location"] == f"{thread.get_absolute_url()}?page=2#p6"


def test_a_first_visit_shows_page_one_and_counts_the_view(other_client, thread):
    response = other_client.get(thread.get_absolute_url())
    assert response.status_code == 200 and response.context["page"] == 1
    other_client.get(thread.get_absolute_url() + "?page=1")
    assert sum(thread.view_days.values_list("views", flat=True)) == 2


def test_huge_or_malformed_ids_are_404(employee_client):
    for url in ("/trad/" + "9" * 30 + "/", "/innlegg/99999999/", "/trad/1x/", "/tema/æøå/"):
        assert employee_client.get(url).status_code == 404, url


def test_a_thread_in_an_unpublished_topic_is_a_404(employee_client, thread):
    Topic.objects.filter(pk=thread.topic_id).update(published_at=None)
    assert employee_client.get(thread.get_absolute_url()).status_code == 404
    assert employee_client.post(reply_url(thread), {"body": "x"}).status_code == 404


@pytest.mark.parametrize("posts", [1, 45])
@pytest.mark.parametrize("moderated", [False, True])
def test_thread_query_count_is_fixed(
    employee_client, make_topic, employee, other_employee, department, posts, moderated,
    django_assert_num_queries,
):  # fmt: skip
    group = make_topic("Gruppe")
    topic = make_topic("Tema", parent=group)
    thread = services.start_thread(topic, author=employee, title="T", body="B", kind="question")
    add_replies(thread, other_employee, posts - 1)
    if moderated:
        first = thread.posts.get(position=1)
        ClarifiedAnswer.objects.create(post=first, clarified_by=topic.moderator)
        Escalation.objects.create(
            thread=thread, department=department, category="routine", summary="S",
            escalated_by=topic.moderator,
        )  # fmt: skip
    # session, employee, thread (+topic and its parent, views, has clarified answers?
    # escalations?, and the viewer's topic rights and header counts: one statement), posts
    # with the view counted and the read mark moved (one statement); and moderation's
    # clarified answers and escalations where there are some
    with django_assert_num_queries(6 if moderated else 4):
        response = employee_client.get(thread.get_absolute_url() + "?page=last")
    assert response.status_code == 200
    assert (b"clarified-answers" in response.content) is moderated
    assert (b"escalation-status" in response.content) is moderated


def test_the_last_page_of_a_long_thread_reads_a_position_range(
    employee_client, thread, other_employee
):
    Post.objects.bulk_create(
        Post(
            thread=thread, position=n, author=other_employee, body_md="x", body_html="<p>x</p>",
            renderer_version=1,
        )
        for n in range(2, 5001)
    )  # fmt: skip
    Thread.objects.filter(pk=thread.pk).update(post_count=5000)
    response = employee_client.get(thread.get_absolute_url() + "?page=last")
    assert [p.position for p in response.context["posts"]][-1] == 5000
    assert response.context["page"] == 250


# Replying --------------------------------------------------------------------------------


def test_reply_redirects_to_the_new_post(other_client, thread):
    response = other_client.post(reply_url(thread), {"body": "Takk for tipset!"})
    assert response.status_code == 302
    assert response["Location"] == f"{thread.get_absolute_url()}?page=1#p2"
    assert thread.posts.filter(position=2, body_md="Takk for tipset!").exists()


def test_a_double_submitted_reply_creates_one_post(other_client, thread):
    key = str(uuid.uuid4())
    for _ in range(2):
        response = other_client.post(reply_url(thread), {"body": "Svar", "submission_key": key})
        assert response.status_code == 302
    assert thread.posts.count() == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "required"),
        ("x" * 32_001, "32000"),
        ("før\x00etter", "Null characters"),
    ],
)
def test_a_rejected_reply_comes_back_with_its_text(other_client, thread, body, message):
    other_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = other_client.post(reply_url(thread), {"body": body})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert response.context["form"]["body"].value() == body
    assert thread.posts.count() == 1


def test_a_rate_limited_reply_is_a_429_that_keeps_the_text(settings, other_client, thread):
    settings.FORUM_POST_INTERVAL_SECONDS = 60
    assert other_client.post(reply_url(thread), {"body": "Første"}).status_code == 302
    response = other_client.post(reply_url(thread), {"body": "Andre svar, ikke mist meg"})
    assert response.status_code == 429
    assert "Andre svar, ikke mist meg" in response.content.decode()


def test_a_reply_after_the_session_expired_keeps_the_text(thread):
    response = Client().post(reply_url(thread), {"body": "Teksten min"})
    assert response.status_code == 403
    assert "Teksten min" in response.content.decode()
    assert Client().get(reply_url(thread)).status_code == 302  # to the login page


def test_an_expired_csrf_token_keeps_the_text(thread, other_employee):
    client = Client(enforce_csrf_checks=True)
    client.force_login(other_employee)
    response = client.post(reply_url(thread), {"body": "Teksten min", "title": "Tittel"})
    assert response.status_code == 403
    assert "Teksten min" in response.content.decode()


def test_preview_renders_without_posting(other_client, thread):
    response = other_client.post(reply_url(thread), {"body": "**fet**", "preview": "1"})
    assert response.status_code == 200
    assert "<strong>fet</strong>" in response.content.decode()
    assert response.context["form"]["body"].value() == "**fet**"
    assert thread.posts.count() == 1


def test_quote_fills_the_reply_with_the_quoted_post(other_client, thread):
    post = thread.posts.get()
    response = other_client.get(reply_url(thread), {"quote": post.pk})
    body = response.context["form"]["body"].value()
    assert body.startswith("> ")
    assert "> Vi lurer på hvordan **andre kontor**" in body
    for bad in ("abc", "9" * 40, "0"):
        assert other_client.get(reply_url(thread), {"quote": bad}).status_code == 200


def test_a_locked_thread_refuses_replies_with_403_and_keeps_the_text(
    other_client, moderator_client, thread
):
    Thread.objects.filter(pk=thread.pk).update(locked=True)
    assert other_client.get(reply_url(thread)).status_code == 403
    response = other_client.post(reply_url(thread), {"body": "Låst ute"})
    assert response.status_code == 403
    assert "Låst ute" in response.content.decode()
    assert moderator_client.post(reply_url(thread), {"body": "Moderator"}).status_code == 302


def test_reply_form_query_counts(other_client, thread, django_assert_num_queries):
    with django_assert_num_queries(4):  # session, employee, thread, header notifications
        assert other_client.get(reply_url(thread)).status_code == 200
    with django_assert_num_queries(5):  # + the quoted post
        other_client.get(reply_url(thread), {"quote": thread.last_post_id})


def test_reply_post_query_count(other_client, thread, django_assert_num_queries):
    # session, employee, thread; then in one transaction: savepoint, the author's row lock,
    # the submission key, the thread's row lock, the post, the counters and read mark (one
    # statement), release
    with django_assert_num_queries(10):
        response = other_client.post(reply_url(thread), {"body": "Takk for tipset!"})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert (thread.post_count, thread.reply_count) == (2, 1)
    assert thread.last_post.body_md == "Takk for tipset!"
    topic = type(thread.topic).objects.get(pk=thread.topic_id)
    assert topic.post_count == 2 and topic.last_activity_at == thread.last_activity_at


# Starting threads ------------------------------------------------------------------------


def test_start_a_thread(employee_client, topic):
    response = employee_client.post(
        f"/tema/{topic.slug}/ny-trad/",
        {"title": "Nytt spørsmål", "kind": "question", "body": "Hvordan gjør dere det?"},
    )
    thread = Thread.objects.get(title="Nytt spørsmål")
    assert response.status_code == 302 and response["Location"] == thread.get_absolute_url()
    assert thread.kind == "question" and thread.author.name == "Kari Nordmann"


def test_a_rejected_new_thread_keeps_title_and_text(employee_client, topic):
    response = employee_client.post(
        f"/tema/{topic.slug}/ny-trad/", {"title": "x" * 151, "kind": "question", "body": "Teksten"}
    )
    assert response.status_code == 400
    assert response.context["form"]["body"].value() == "Teksten"
    assert response.context["form"]["title"].value() == "x" * 151
    assert not Thread.objects.exists()


def test_too_many_threads_is_a_429_that_keeps_the_text(settings, employee_client, topic):
    settings.FORUM_THREADS_PER_DAY = 1
    url = f"/tema/{topic.slug}/ny-trad/"
    employee_client.post(url, {"title": "En", "kind": "discussion", "body": "B"})
    response = employee_client.post(url, {"title": "To", "kind": "discussion", "body": "Behold"})
    assert response.status_code == 429
    assert "Behold" in response.content.decode()


def test_new_thread_form_query_count(employee_client, topic, django_assert_num_queries):
    with django_assert_num_queries(4):  # session, employee, topic, header notifications
        assert employee_client.get(f"/tema/{topic.slug}/ny-trad/").status_code == 200


# Editing, history, deleting --------------------------------------------------------------


def test_the_author_edits_and_the_history_keeps_the_old_version(employee_client, thread):
    post = thread.posts.get()
    response = employee_client.post(
        f"/innlegg/{post.pk}/rediger/",
        {"title": "Ny tittel", "body": "Oppdatert tekst", "reason": "presisering"},
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body_md == "Oppdatert tekst" and post.edit_count == 1
    html = employee_client.get(thread.get_absolute_url() + "?page=1").content.decode()
    assert "post__edited" in html
    history = employee_client.get(f"/innlegg/{post.pk}/historikk/").content.decode()
    assert "andre kontor" in history and "presisering" in history


def test_others_cannot_edit_or_see_history_but_moderators_can(
    other_client, moderator_client, thread
):
    post = thread.posts.get()
    services.edit_post(post, editor=post.author, body="v2")
    assert other_client.get(f"/innlegg/{post.pk}/rediger/").status_code == 403
    assert other_client.post(f"/innlegg/{post.pk}/rediger/", {"body": "x"}).status_code == 403
    assert other_client.get(f"/innlegg/{post.pk}/historikk/").status_code == 403
    assert moderator_client.get(f"/innlegg/{post.pk}/rediger/").status_code == 200
    assert moderator_client.get(f"/innlegg/{post.pk}/historikk/").status_code == 200


def test_a_rejected_edit_keeps_the_text(employee_client, thread):
    post = thread.posts.get()
    response = employee_client.post(
        f"/innlegg/{post.pk}/rediger/", {"title": "", "body": "Ny tekst som ikke må mistes"}
    )
    assert response.status_code == 400
    assert "Ny tekst som ikke må mistes" in response.content.decode()
    assert not PostRevision.objects.exists()


def test_edit_and_history_query_counts(
    employee_client, make_topic, employee, django_assert_num_queries
):
    topic = make_topic("Tema", parent=make_topic("Gruppe"))
    thread = services.start_thread(topic, author=employee, title="T", body="B", kind="question")
    post = thread.posts.get()
    for n in range(5):
        services.edit_post(post, editor=employee, body=f"v{n}")
    # session, employee, post, topic rights with the header's counts, ancestors
    with django_assert_num_queries(5):
        assert employee_client.get(f"/innlegg/{post.pk}/rediger/").status_code == 200
    # session, employee, post, revisions, ancestors, notifications (the author needs no
    # rights lookup)
    with django_assert_num_queries(6):
        assert employee_client.get(f"/innlegg/{post.pk}/historikk/").status_code == 200


def test_the_author_deletes_softly_and_a_moderator_restores(
    other_client, moderator_client, employee_client, thread, other_employee
):
    reply = services.post_reply(thread, author=other_employee, body="Angrer")
    assert other_client.get(f"/innlegg/{reply.pk}/slett/").status_code == 200
    assert employee_client.post(f"/innlegg/{reply.pk}/slett/").status_code == 403
    assert other_client.post(f"/innlegg/{reply.pk}/slett/").status_code == 302
    reply.refresh_from_db()
    assert reply.deleted_at is not None
    html = employee_client.get(thread.get_absolute_url() + "?page=1").content.decode()
    assert "Angrer" not in html
    assert other_client.post(f"/innlegg/{reply.pk}/gjenopprett/").status_code == 403
    assert moderator_client.post(f"/innlegg/{reply.pk}/gjenopprett/").status_code == 302
    reply.refresh_from_db()
    assert reply.deleted_at is None


def test_post_link_redirects_to_its_page(settings, employee_client, thread, other_employee):
    settings.FORUM_POSTS_PER_PAGE = 2
    add_replies(thread, other_employee, 3)
    post = thread.posts.get(position=4)
    response = employee_client.get(f"/innlegg/{post.pk}/")
    assert response["Location"] == f"{thread.get_absolute_url()}?page=2#p4"


# Solutions -------------------------------------------------------------------------------


def test_the_asker_marks_the_answer_and_the_thread_shows_it(
    employee_client, other_client, question, other_employee
):
    reply = services.post_reply(question, author=other_employee, body="Slik gjør du")
    url = f"/trad/{question.pk}/losning/"
    assert other_client.post(url, {"post": reply.pk}).status_code == 403
    assert employee_client.post(url, {"post": reply.pk}).status_code == 302
    question.refresh_from_db()
    assert question.solution_post_id == reply.pk
    html = employee_client.get(question.get_absolute_url() + "?page=1").content.decode()
    assert f'href="/innlegg/{reply.pk}/"' in html and "post--solution" in html
    assert employee_client.post(url, {"post": "abc"}).status_code == 404
    assert employee_client.post(url, {"post": question.posts.get(position=1).pk}).status_code == 400


def test_a_moderators_edit_of_someone_elses_post_is_audited(moderator_client, thread, moderator):
    from moderation.models import AuditEntry

    post = thread.posts.get()
    response = moderator_client.post(
        f"/innlegg/{post.pk}/rediger/",
        {"title": thread.title, "body": "Rettet av moderator", "reason": "personopplysninger"},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EDIT_POST)
    assert (entry.actor, entry.post, entry.reason) == (moderator, post, "personopplysninger")
    assert PostRevision.objects.filter(post=post).count() == 1


def test_restoring_a_deleted_post_is_audited(moderator_client, thread, other_employee, moderator):
    from moderation.models import AuditEntry

    reply = services.post_reply(thread, author=other_employee, body="Angrer")
    services.delete_post(reply, by=other_employee)
    moderator_client.post(f"/innlegg/{reply.pk}/gjenopprett/")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.RESTORE_POST)
    assert (entry.actor, entry.post) == (moderator, reply)


def test_thread_page_links_to_moderation_for_moderators_and_reports_for_employees(
    moderator_client, other_client, thread
):
    post = thread.posts.get()
    html = moderator_client.get(thread.get_absolute_url() + "?page=1").content.decode()
    assert f"/moderering/trad/{thread.pk}/" in html
    assert f"/moderering/innlegg/{post.pk}/skjul/" in html
    html = other_client.get(thread.get_absolute_url() + "?page=1").content.decode()
    assert f"/moderering/trad/{thread.pk}/" not in html
    assert f"/moderering/innlegg/{post.pk}/skjul/" not in html
    assert f"/moderering/innlegg/{post.pk}/rapporter/" in html


def test_a_tampered_submission_key_does_not_block_the_reply(other_client, thread):
    for key in ("not-a-uuid", "\x00", "9" * 64):
        response = other_client.post(reply_url(thread), {"body": "Svar", "submission_key": key})
        assert response.status_code in (302, 400)
    assert (
        other_client.post(reply_url(thread), {"body": "Svar", "submission_key": "abc"}).status_code
        == 302
    )
