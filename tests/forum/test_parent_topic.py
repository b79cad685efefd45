"""A parent topic's page lists its subtopics and their latest threads (issue 14: parent
topics said "no threads yet, be the first" while the home page counted their subtopics'
threads)."""

import pytest
from django.utils import timezone

from forum import services
from forum.models import Post, Thread
from forum.views.reading import LATEST_IN_SUBTOPICS
from tests.conftest import add_post, client_for


def _start(topic, author, title: str):
    return services.start_thread(topic, author=author, title=title, body="Tekst.", kind="question")


@pytest.fixture
def family(make_topic, employee):
    """A parent with two published subtopics (one with a subtopic of its own) and a draft."""
    parent = make_topic("Ytelser")
    aap = make_topic("AAP", parent=parent)
    dagpenger = make_topic("Dagpenger", parent=parent)
    meldekort = make_topic("Meldekort", parent=aap)
    draft = make_topic("Omstilling", parent=parent, published=False)
    for topic, title in (
        (aap, "Stans av AAP"), (dagpenger, "Permittering og ferie"),
        (meldekort, "Meldekort for sent"),
    ):  # fmt: skip
        _start(topic, employee, title)
    # a draft takes no new threads: this one is a plain row (as if moved there)
    add_post(Thread.objects.create(topic=draft, title="Hemmelig omstilling", author=employee))
    parent.refresh_from_db()
    return {"parent": parent, "aap": aap, "draft": draft}


def test_a_parent_topic_lists_its_subtopics_and_their_latest_threads(family, employee_client):
    html = employee_client.get(family["parent"].get_absolute_url()).content.decode()
    subtopics = html[html.index('id="subtopics-heading"') : html.index('id="latest-heading"')]
    assert "AAP" in subtopics and "Dagpenger" in subtopics
    latest = html[html.index('id="latest-heading"') :]
    # newest activity first, the grandchild topic's thread included
    order = [latest.index(t) for t in ("Meldekort for sent", "Permittering", "Stans av AAP")]
    assert order == sorted(order)
    # the draft subtopic stays hidden, and nobody is told to be the first
    assert "Omstilling" not in html and "Hemmelig omstilling" not in html
    assert "Be the first" not in html and "Bli den første" not in html


def test_the_topics_staff_see_the_draft_subtopics_thread(family, make_topic):
    moderator = make_topic.staff["moderator"]
    html = client_for(moderator).get(family["parent"].get_absolute_url()).content.decode()
    assert "Hemmelig omstilling" in html


def test_a_thread_whose_opening_post_is_hidden_keeps_its_title_from_readers(
    family, employee, employee_client, make_topic
):
    thread = _start(family["aap"], employee, "Navn på en bruker")
    moderator = make_topic.staff["moderator"]
    Post.objects.filter(thread=thread, position=1).update(
        hidden_at=timezone.now(), hidden_by=moderator
    )
    url = family["parent"].get_absolute_url()
    assert "Navn på en bruker" not in employee_client.get(url).content.decode()
    assert "Navn på en bruker" in client_for(moderator).get(url).content.decode()


@pytest.mark.parametrize("size", [1, 4])
def test_the_parent_topic_page_costs_the_same_queries_whatever_its_size(
    make_topic, employee, employee_client, size, django_assert_num_queries
):
    parent = make_topic("Forelder")
    for n in range(2 * size):
        child = make_topic(f"Under {n}", parent=parent)
        for m in range(3 * size):
            _start(child, employee, f"Tråd {n}-{m}")
    parent.refresh_from_db()
    # session, employee, topic (with its parent), the topic's own threads, header counts,
    # the subtopics, their latest threads
    with django_assert_num_queries(7):
        response = employee_client.get(parent.get_absolute_url())
    assert len(response.context["latest"]) == min(6 * size * size, LATEST_IN_SUBTOPICS)
    assert len(response.context["children"]) == 2 * size
