"""Issue 15, social: the pages (useful mark, mention suggestions, profile, my threads and
posts, the home page's lists and their see-all pages, the most-useful order, the moderator's
name and the badge), their status codes and pinned query counts."""

import json

import pytest

from accounts.models import Unit
from forum import services
from forum.models import Mention, Post, Thread, UsefulMark
from moderation import services as moderation_services
from tests.conftest import client_for


@pytest.fixture
def ola(make_employee):
    return make_employee("Ola Nordmann", email="ola.nordmann@nav.example", title="Rådgiver")


def reply(thread, author, body="Et svar"):
    return services.post_reply(thread, author=author, body=body)


# Useful marks --------------------------------------------------------------------------------


def test_marking_useful_from_the_thread_page_and_taking_it_back(
    other_client, thread, other_employee
):
    post = thread.posts.get(position=1)
    html = other_client.get(thread.get_absolute_url() + "?page=1").content.decode()
    assert f'action="/innlegg/{post.pk}/nyttig/"' in html
    assert 'aria-pressed="false"' in html
    response = other_client.post(f"/innlegg/{post.pk}/nyttig/")
    assert response.status_code == 302 and response["Location"].endswith("#p1")
    html = other_client.get(thread.get_absolute_url() + "?page=1").content.decode()
    assert (
        'aria-pressed="true"' in html
        and '<span class="useful-count" aria-hidden="true">1</span>' in html
    )
    other_client.post(f"/innlegg/{post.pk}/nyttig/", {"undo": "1"})
    assert not UsefulMark.objects.exists()


def test_the_author_sees_the_count_without_a_button(employee_client, thread, other_employee):
    post = thread.posts.get(position=1)
    services.mark_useful(post, by=other_employee)
    html = employee_client.get(thread.get_absolute_url() + "?page=1").content.decode()
    assert "nyttig/" not in html
    assert "1 found this useful" in html or "1 syntes dette var nyttig" in html
    assert employee_client.post(f"/innlegg/{post.pk}/nyttig/").status_code == 403


def test_a_mark_on_a_post_in_a_hidden_topic_is_a_404(make_topic, make_employee, other_client):
    moderator = make_employee("Mona Moderator")
    draft = make_topic("Utkast", published=False, moderator=moderator)
    thread = services.start_thread(draft, author=moderator, title="Utkast", body="Tekst")
    post = thread.posts.get()
    assert other_client.post(f"/innlegg/{post.pk}/nyttig/").status_code == 404
    assert other_client.get(f"/innlegg/{post.pk}/nyttig/").status_code == 405
    assert other_client.post("/innlegg/999999999/nyttig/").status_code == 404


def test_the_useful_form_needs_its_csrf_token(thread, other_employee):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(other_employee)
    post = thread.posts.get(position=1)
    assert client.post(f"/innlegg/{post.pk}/nyttig/").status_code == 403
    html = client.get(thread.get_absolute_url() + "?page=1").content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="')[-1].split('"')[0]
    response = client.post(f"/innlegg/{post.pk}/nyttig/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302 and UsefulMark.objects.count() == 1


def test_the_thread_in_most_useful_order(
    other_client, thread, employee, other_employee, make_employee, django_assert_num_queries
):
    _first, second, third = (reply(thread, other_employee, f"Svar {n}") for n in range(3))
    for n in range(2):
        services.mark_useful(third, by=make_employee(f"Leser {n}"))
    services.mark_useful(second, by=employee)
    with django_assert_num_queries(5):  # session, employee, thread, posts, visit
        response = other_client.get(thread.get_absolute_url() + "?order=useful")
    assert response.status_code == 200
    assert [p.position for p in response.context["posts"]] == [1, 4, 3, 2]
    html = response.content.decode()
    assert html.index('id="p4"') < html.index('id="p3"') < html.index('id="p2"')
    assert 'aria-current="true">Most useful first' in html or "Mest nyttige først" in html
    assert other_client.get(thread.get_absolute_url() + "?order=useful&page=2").status_code == 404


# Mentions ----------------------------------------------------------------------------------


def test_suggestions_while_typing_a_mention(employee_client, ola, django_assert_num_queries):
    with django_assert_num_queries(3):  # session, employee, the suggestions
        response = employee_client.get("/ansatt/forslag/", {"q": "ola"})
    assert response.status_code == 200
    people = json.loads(response.content)["people"]
    assert {"handle": "ola.nordmann", "name": "Ola Nordmann", "unit": "NAV Bergen sør"} in people
    by_surname = json.loads(employee_client.get("/ansatt/forslag/", {"q": "nord"}).content)
    assert "ola.nordmann" in [p["handle"] for p in by_surname["people"]]
    for bad in ("", "x" * 41, "<script>", "%", "a\x00"):
        assert employee_client.get("/ansatt/forslag/", {"q": bad}).status_code == 400, bad


def test_the_writer_is_told_before_posting_and_sending_again_posts(make_topic, make_employee, ola):
    moderator = make_employee("Mona Moderator")
    draft = make_topic("Utkast", published=False, moderator=moderator)
    thread = services.start_thread(draft, author=moderator, title="Utkast", body="Tekst")
    client = client_for(moderator)
    url = f"/trad/{thread.pk}/svar/"
    body = "Hva mener @ola.nordmann?"
    response = client.post(url, {"body": body})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ola Nordmann" in html and body.replace("?", "") in html
    assert 'name="acknowledged_mentions" value="ola.nordmann"' in html
    assert Post.objects.filter(thread=thread).count() == 1
    response = client.post(url, {"body": body, "acknowledged_mentions": "ola.nordmann"})
    assert response.status_code == 302
    assert Post.objects.filter(thread=thread).count() == 2 and not Mention.objects.exists()


def test_too_many_mentions_come_back_with_the_text(other_client, thread, make_employee):
    for n in range(11):
        make_employee(f"P {n}", email=f"p{n}@nav.example")
    body = " ".join(f"@p{n}" for n in range(11))
    response = other_client.post(f"/trad/{thread.pk}/svar/", {"body": body})
    assert response.status_code == 400
    assert body in response.content.decode()


# Profile, my threads, my posts ---------------------------------------------------------------


def test_the_profile(
    employee_client, ola, topic, moderator, other_employee, django_assert_num_queries
):
    thread = services.start_thread(topic, author=ola, title="Olas tråd", body="Tekst")
    services.mark_useful(thread.posts.get(), by=other_employee)
    # session, employee, the profile, grants (with the header's counts), topics staffed,
    # recent threads
    with django_assert_num_queries(6):
        response = employee_client.get(ola.get_absolute_url())
    html = response.content.decode()
    for text in (
        "Ola Nordmann",
        "Rådgiver",
        "NAV Bergen sør",
        "Vestland",
        "Olas tråd",
        "@ola.nordmann",
    ):
        assert text in html, text
    assert response.context["useful_received"] == 1
    html = employee_client.get(moderator.get_absolute_url()).content.decode()
    assert topic.name in html
    assert employee_client.get("/ansatt/999999/").status_code == 404


def test_a_profile_hides_threads_in_topics_the_viewer_cannot_see(
    employee_client, make_topic, make_employee
):
    moderator = make_employee("Mona Moderator")
    draft = make_topic("Hemmelig utkast", published=False, moderator=moderator)
    services.start_thread(draft, author=moderator, title="Hemmelig tråd", body="Tekst")
    html = employee_client.get(moderator.get_absolute_url()).content.decode()
    assert "Hemmelig" not in html
    assert (
        "Hemmelig tråd" in client_for(moderator).get(moderator.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize("count", [1, 25])
def test_my_threads_and_my_posts(
    employee_client, topic, employee, other_employee, count, django_assert_num_queries
):
    for n in range(count):
        thread = services.start_thread(topic, author=employee, title=f"Tråd {n}", body=f"Tekst {n}")
        reply(thread, other_employee)
    with django_assert_num_queries(4):  # session, employee, grants and header, threads
        response = employee_client.get("/mine/trader/")
    assert len(response.context["threads"]) == min(count, 20)
    assert response.context["more"] == (count > 20)
    with django_assert_num_queries(4):
        response = employee_client.get("/mine/innlegg/")
    assert len(response.context["posts"]) == min(count, 20)
    assert f"Tråd {count - 1}" in response.content.decode()
    assert employee_client.get("/mine/innlegg/?page=0").status_code == 404
    assert "Tråd" not in client_for(other_employee).get("/mine/trader/").content.decode()


# Home page lists -----------------------------------------------------------------------------


def test_home_lists_unanswered_questions_in_my_units_usual_topics(
    employee_client, topic, make_topic, employee, other_employee, make_employee, county
):
    services.start_thread(topic, author=employee, title="Min egen tråd", body="B")
    elsewhere = make_topic("Annet tema")
    far_away = Unit.objects.create(
        number="4602", name="NAV Bergen nord", kind=Unit.Kind.LOCAL_OFFICE, county=county
    )
    asker = make_employee("Spørre Per", unit_obj=far_away)
    services.start_thread(topic, author=asker, title="Ubesvart her?", body="B", kind="question")
    services.start_thread(elsewhere, author=asker, title="Ubesvart der?", body="B", kind="question")
    answered = services.start_thread(
        topic, author=asker, title="Besvart?", body="B", kind="question"
    )
    reply(answered, other_employee)
    services.refresh_unit_topics()
    html = employee_client.get("/").content.decode()
    assert "Ubesvart her?" in html
    assert "Ubesvart der?" not in html and "Besvart?" not in html
    response = employee_client.get("/ubesvart/")
    assert [t.title for t in response.context["threads"]] == ["Ubesvart her?"]


def test_home_lists_unanswered_questions_in_the_topics_i_staff(moderator, topic, make_employee):
    asker = make_employee("Spørre Per", unit_obj=None)
    services.start_thread(topic, author=asker, title="Til moderatoren?", body="B", kind="question")
    client = client_for(moderator)
    html = client.get("/").content.decode()
    assert "Til moderatoren?" in html
    assert "moderering/" in html  # the queue section


def test_home_shows_this_weeks_clarified_answers(
    employee_client, topic, thread, other_employee, expert, make_topic, make_employee
):
    answer = reply(thread, other_employee, "Slik er det")
    moderation_services.clarify_post(answer, by=expert)
    moderator = make_employee("Mona Moderator")
    draft = make_topic("Utkast", published=False, moderator=moderator)
    hidden_thread = services.start_thread(
        draft, author=moderator, title="Skjult avklaring", body="T"
    )
    hidden_answer = reply(hidden_thread, moderator, "Svar")
    moderation_services.clarify_post(hidden_answer, by=moderator)
    html = employee_client.get("/").content.decode()
    assert thread.title in html and "Skjult avklaring" not in html
    response = employee_client.get("/moderering/avklart/")
    assert [a.post_id for a in response.context["answers"]] == [answer.pk]


@pytest.mark.parametrize("questions", [1, 12])
def test_home_and_see_all_query_counts_do_not_grow(
    employee_client, topic, make_employee, questions, django_assert_num_queries
):
    asker = make_employee("Spørre Per", unit_obj=None)
    for n in range(questions):
        services.start_thread(
            topic, author=asker, title=f"Spørsmål {n}?", body="B", kind="question"
        )
    services.refresh_unit_topics()
    Thread.objects.update(author=asker)
    with django_assert_num_queries(6):
        assert len(employee_client.get("/").context["unanswered"]) == min(questions, 5)
    with django_assert_num_queries(4):  # session, employee, grants and header, the list
        assert len(employee_client.get("/ubesvart/").context["threads"]) == questions
    with django_assert_num_queries(4):
        assert employee_client.get("/moderering/avklart/").status_code == 200


# Who moderates, and the badge -----------------------------------------------------------------


def test_the_topic_page_names_its_moderator(employee_client, topic, moderator):
    html = employee_client.get(topic.get_absolute_url()).content.decode()
    assert f'href="/ansatt/{moderator.pk}/">{moderator.name}</a>' in html


def test_posts_by_the_topics_moderator_and_experts_carry_a_badge(
    employee_client, thread, moderator, expert, other_employee
):
    reply(thread, moderator, "Moderator svarer")
    reply(thread, expert, "Ekspert svarer")
    reply(thread, other_employee, "Kollega svarer")
    response = employee_client.get(thread.get_absolute_url() + "?page=1")
    roles = {p.position: p.author_role for p in response.context["posts"]}
    assert roles == {1: None, 2: "moderator", 3: "expert", 4: None}
    assert response.content.decode().count("post__role") == 2
