"""A thread whose opening post a moderator hid kept its title on the topic list and the
thread page (issue 13, finding 7): the title is hidden as the text is."""

from django.urls import reverse

from moderation import services as moderation_services
from tests.conftest import client_for

TITLE = "Navn og fødselsnummer til bruker i tittelen"


def test_a_hidden_opening_post_hides_the_thread_title_from_readers(
    topic, employee, other_employee, moderator
):
    from forum import services

    thread = services.start_thread(topic, author=other_employee, title=TITLE, body="Tekst.")
    moderation_services.hide_post(
        thread.posts.get(position=1), by=moderator, reason="Personopplysninger"
    )
    reader = client_for(employee)
    listing = reader.get(topic.get_absolute_url()).content.decode()
    page = reader.get(reverse("forum:thread-detail", args=[thread.pk]) + "?page=1")
    assert TITLE not in listing and TITLE not in page.content.decode()
    assert (
        "Thread hidden by a moderator" in page.content.decode() or "skjult" in page.content.decode()
    )
    own = client_for(moderator).get(reverse("forum:thread-detail", args=[thread.pk]) + "?page=1")
    assert TITLE in own.content.decode()
    moderation_services.unhide_post(thread.posts.get(position=1), by=moderator)
    assert TITLE in reader.get(topic.get_absolute_url()).content.decode()
