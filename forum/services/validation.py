"""The checks every write shares: clean text, the author's lock, the submission key, the
rate limits."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import Employee
from erfaringsforum import transactions
from forum import querysets
from forum.models import (
    Post,
    Thread,
)


class RateLimited(ValidationError):
    """The employee posts faster than the installation allows (the view answers 429)."""


# Validation helpers ---------------------------------------------------------------------


def clean_text(value: str, *, field: str, max_length: int) -> str:
    """Stripped text that PostgreSQL can store, or a ValidationError naming the field."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("This field cannot be empty.")})
    if "\x00" in value:
        raise ValidationError({field: _("The text contains a null character; remove it.")})
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError({field: _("The text contains invalid characters.")}) from None
    if len(value) > max_length:
        raise ValidationError(
            {
                field: _("The text is %(length)d characters long; the limit is %(limit)d.")
                % {"length": len(value), "limit": max_length}
            }
        )
    return value


def lock_author(author: Employee) -> None:
    # One employee's submissions queue behind each other: the rate limit and the
    # submission key are then checked against committed rows, never raced. An advisory
    # lock, not a row lock on the employee: rows other transactions write that point at the
    # employee (notifications, audit entries; their foreign keys are checked at commit)
    # would wait for it (the lock order's first step, erfaringsforum.transactions).
    transactions.lock_author(author.pk)


def existing_post(submission_key: uuid.UUID | None, author: Employee) -> Post | None:
    if submission_key is None:
        return None
    post = querysets.post_by_submission_key(submission_key)
    if post is not None and post.author_id != author.pk:
        raise ValidationError(_("This form was already used. Reload the page and try again."))
    return post


def limit_post_interval(author: Employee, now) -> None:
    interval = settings.FORUM_POST_INTERVAL_SECONDS
    if interval <= 0:
        return
    last = (
        Post.objects.filter(author=author, kind=Post.Kind.REGULAR)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is not None and now - last < timedelta(seconds=interval):
        wait = interval - int((now - last).total_seconds())
        raise RateLimited(
            _("You are posting too fast. Wait %(seconds)d seconds and send again.")
            % {"seconds": max(wait, 1)},
            code="rate_limited",
        )


def limit_threads_per_day(author: Employee, now) -> None:
    limit = settings.FORUM_THREADS_PER_DAY
    started = Thread.objects.filter(author=author, created_at__gt=now - timedelta(days=1))
    if started.count() >= limit:
        raise RateLimited(
            _(
                "You have started %(limit)d threads in the last 24 hours, the most allowed. "
                "Try again later, or reply in an existing thread."
            )
            % {"limit": limit},
            code="rate_limited",
        )
