"""Every line of the public bad-input corpora is kept, or refused only when it is blank, and
never shown as something that could run script.

Each line goes through the new-thread form's validation and forum.services.start_thread in
process, so the Markdown renderer and sanitizer run on it there. One HTTP pass proves the
wiring: the whole corpus as one thread through the new-thread form, that thread's page, and
every page of the topic's list, which shows every stored title.
"""

import pytest
from django.core.exceptions import ValidationError

from forum import services
from forum.forms import ThreadForm
from forum.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Topic
from tests.conftest import bad_input_lines
from tests.forum.html_check import script_problems

CORPORA = ["markdown-xss-payloads.txt", "blns.txt"]


def start_thread_as_the_view_does(topic: Topic, author, data: dict):
    """The new-thread view's path without HTTP: the form, then the service."""
    form = ThreadForm(data)
    if not form.is_valid():
        raise ValidationError(form.errors)
    cleaned = form.cleaned_data
    return services.start_thread(
        topic,
        author=author,
        title=cleaned["title"],
        body=cleaned["body"],
        kind=cleaned["kind"],
        submission_key=cleaned["submission_key"],
    )


def one_document(lines: list[str]) -> str:
    """As many lines as fit in one post, a paragraph each."""
    body = ""
    for line in lines:
        if len(body) + len(line) + 2 > BODY_MAX_LENGTH:
            break
        body += line + "\n\n"
    return body


@pytest.mark.parametrize("corpus", CORPORA)
def test_every_bad_input_line_is_stored_and_shown_safely(corpus, employee, employee_client, topic):
    lines = bad_input_lines(corpus)
    for line in lines:
        data = {"title": line[:TITLE_MAX_LENGTH], "kind": "discussion", "body": line}
        try:
            thread = start_thread_as_the_view_does(topic, employee, data)
        except ValidationError:
            # Only text that is empty once stripped may be refused, with a field error.
            assert not line[:TITLE_MAX_LENGTH].strip() or not line.strip(), line
            continue
        post = thread.last_post  # the opening post, as the service made it
        assert (thread.title, post.body_md) == (data["title"].strip(), line.strip()), line
        problems = script_problems(post.body_html)
        assert problems == [], (line, problems)

    # The wiring, once: the whole corpus through the form, its page, and the topic's list.
    title = next(line for line in lines if line[:TITLE_MAX_LENGTH].strip())[:TITLE_MAX_LENGTH]
    data = {"title": title, "kind": "discussion", "body": one_document(lines)}
    response = employee_client.post(f"/tema/{topic.slug}/ny-trad/", data)
    assert response.status_code == 302
    page = employee_client.get(response["Location"] + "?page=1")
    assert page.status_code == 200
    problems = script_problems(page.content.decode())
    assert problems == [], problems
    for page_number in range(1, Topic.objects.get(pk=topic.pk).thread_count // 25 + 2):
        listing = employee_client.get(topic.get_absolute_url(), {"page": page_number})
        assert listing.status_code == 200
        assert script_problems(listing.content.decode()) == []
