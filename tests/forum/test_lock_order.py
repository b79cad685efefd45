"""The forum's write services lock rows in the one order of erfaringsforum.transactions
(issue 13: replies and new threads had locked the author's row while moderation's actions
locked the thread first and then wrote rows pointing at the author)."""

import pytest

from forum import services
from tests.lock_order import recorded_locks, violations


def _reply(c):
    return services.post_reply(c["thread"], author=c["other"], body="Et svar.")


# Each entry prepares what the service needs (not recorded) and returns the one call whose
# locks are recorded: in a request each service is its own transaction.
ACTIONS = {
    "start_thread": lambda c: (
        lambda: services.start_thread(
            c["topic"], author=c["other"], title="Et nytt spørsmål", body="Hvordan?"
        )
    ),
    "post_reply": lambda c: lambda: _reply(c),
    "edit_post": lambda c: (
        lambda post: lambda: services.edit_post(post, editor=c["other"], body="Rettet.")
    )(_reply(c)),
    "edit_opening_post_and_title": lambda c: (
        lambda: services.edit_post(
            c["thread"].posts.get(position=1),
            editor=c["author"],
            body="Ny tekst.",
            title="Ny tittel",
        )
    ),
    "delete_post": lambda c: (lambda post: lambda: services.delete_post(post, by=c["other"]))(
        _reply(c)
    ),
    "restore_post": lambda c: (
        lambda post: (
            services.delete_post(post, by=c["other"]),
            lambda: services.restore_post(post, by=c["moderator"], reason="Feil"),
        )[1]
    )(_reply(c)),
    "mark_solution": lambda c: (
        lambda post: lambda: services.mark_solution(c["question"], post=post, by=c["author"])
    )(services.post_reply(c["question"], author=c["other"], body="Slik.")),
    "mark_useful": lambda c: (lambda post: lambda: services.mark_useful(post, by=c["author"]))(
        _reply(c)
    ),
    "unmark_useful": lambda c: (
        lambda post: (
            services.mark_useful(post, by=c["author"]),
            lambda: services.unmark_useful(post, by=c["author"]),
        )[1]
    )(_reply(c)),
    "reply_with_a_mention": lambda c: (
        lambda: services.post_reply(
            c["thread"], author=c["other"], body=f"Hei @{c['author'].handle}"
        )
    ),
}


@pytest.fixture
def cast(topic, thread, question, employee, other_employee, moderator):
    return {
        "topic": topic, "thread": thread, "question": question, "author": employee,
        "other": other_employee, "moderator": moderator,
    }  # fmt: skip


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_each_forum_write_locks_in_the_documented_order(cast, action):
    call = ACTIONS[action](cast)
    with recorded_locks() as tables:
        call()
    assert tables, "the service locked nothing"
    assert violations(tables) == [], tables
    assert "accounts_employee" not in tables, "the author is locked by an advisory lock"
