"""Row locks in the order of erfaringsforum.transactions."""

from forum.models import Thread, Topic


def lock_thread(pk: int) -> None:
    """The lock order's thread step (FOR NO KEY UPDATE of the thread row alone), for a
    service that changes a row that hangs off the thread (a report, an escalation): every
    writer of those locks the thread first, so its lock serialises them."""
    list(
        Thread.objects.select_for_update(no_key=True, of=("self",))
        .filter(pk=pk)
        .values_list("pk", flat=True)
    )


def locked_thread(pk: int) -> Thread:
    """The thread locked (FOR NO KEY UPDATE, the lock order's thread step), with its topic
    read once the lock is held. Not one locked read joined to the topic: when another
    transaction moves the thread meanwhile, PostgreSQL rechecks the join of the new thread
    row against the topic row it had read, finds no match and returns no thread."""
    thread = Thread.objects.select_for_update(no_key=True).get(pk=pk)
    thread.topic = Topic.objects.get(pk=thread.topic_id)
    return thread
