"""Validation of the moderation forms; the services do the work."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Post
from moderation.models import ClarifiedAnswer, Escalation


def _text(label, *, required: bool, max_length: int, rows: int = 3, help_text: str = ""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        strip=True,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows, "class": "ds-input"}),
    )


def _reason(label=None, *, required: bool = False, help_text: str = ""):
    label = label or _("Reason")
    return _text(label, required=required, max_length=2000, help_text=help_text)


def _select(label, **kwargs):
    return forms.ChoiceField(
        label=label, required=False, widget=forms.Select(attrs={"class": "ds-input"}), **kwargs
    )


def _pick_one(label):
    """A list filter's choice of one row by id (None: all of them)."""
    return forms.TypedChoiceField(
        label=label,
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "ds-input"}),
    )


def _choose_row(label, empty_label):
    """A required choice of one row; the form's __init__ gives the rows (the queryset)."""
    return forms.ModelChoiceField(
        label=label,
        queryset=None,
        empty_label=empty_label,
        widget=forms.Select(attrs={"class": "ds-input"}),
    )


def _all_or_one(label, rows) -> list[tuple]:
    return [("", label), *[(row.pk, row.name) for row in rows]]


class ReasonForm(forms.Form):
    """A moderator action with an optional reason."""

    reason = _reason()


class RequiredReasonForm(forms.Form):
    reason = _reason(required=True, help_text=_("The author and the audit log see the reason."))


class ReportForm(forms.Form):
    reason = _reason(
        _("What is wrong with this post?"),
        required=True,
        help_text=_("The topic's moderator reads your report."),
    )


class MoveThreadForm(forms.Form):
    to_topic = _choose_row(_("Move to topic"), _("Choose a topic"))
    reason = _reason()

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_topic"].queryset = topics


class EditPostForm(forms.Form):
    body = _text(_("Text"), required=True, max_length=BODY_MAX_LENGTH, rows=10)
    title = forms.CharField(
        label=_("Thread title"),
        required=False,
        empty_value=None,  # the service keeps the title
        max_length=TITLE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"class": "ds-input"}),
    )
    reason = forms.CharField(
        label=_("Reason for the edit"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"class": "ds-input"}),
    )

    def __init__(self, *args, post: Post, **kwargs):
        # The thread's title is edited through its first post, and only there.
        first = post.position == 1
        kwargs.setdefault(
            "initial", {"body": post.body_md, "title": post.thread.title if first else ""}
        )
        super().__init__(*args, **kwargs)
        if not first:
            del self.fields["title"]


class ClarifyForm(forms.Form):
    legal_reference = forms.CharField(
        label=_("Legal reference"),
        required=False,
        max_length=300,
        help_text=_("For example: folketrygdloven § 8-4"),
        widget=forms.TextInput(attrs={"class": "ds-input"}),
    )
    review_by = forms.DateField(
        label=_("Review by"),
        required=False,
        help_text=_("When the answer must be checked again, because rules change."),
        widget=forms.DateInput(attrs={"type": "date", "class": "ds-input"}),
    )

    def __init__(self, *args, clarified: ClarifiedAnswer | None = None, **kwargs):
        if clarified is not None:
            kwargs.setdefault(
                "initial",
                {"legal_reference": clarified.legal_reference, "review_by": clarified.review_by},
            )
        super().__init__(*args, **kwargs)

    def clean_review_by(self) -> datetime.date | None:
        value = self.cleaned_data.get("review_by")
        if value is not None and value <= timezone.localdate():
            raise forms.ValidationError(_("The review date must be in the future."))
        return value


class NoteForm(forms.Form):
    body = _text(_("Internal note"), required=True, max_length=32_000, rows=5)
    submission_key = forms.UUIDField(required=False, widget=forms.HiddenInput)


class EscalationForm(forms.Form):
    department = _choose_row(_("Department"), _("Choose a department"))
    category = forms.ChoiceField(
        label=_("Category"),
        choices=Escalation.Category.choices,
        widget=forms.RadioSelect(attrs={"class": "ds-input"}),
    )
    summary = _text(
        _("Summary for the department"),
        required=True,
        max_length=4000,
        rows=6,
        help_text=_("What is the principled question, and why does it matter?"),
    )
    submission_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


class EscalationStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (Escalation.Status.IN_PROGRESS, Escalation.Status.IN_PROGRESS.label),
            (Escalation.Status.CLOSED, Escalation.Status.CLOSED.label),
        ],
        widget=forms.Select(attrs={"class": "ds-input"}),
    )
    reason = _reason(_("Comment"))


class EscalationAnswerForm(forms.Form):
    body = _text(
        _("The department's answer"),
        required=True,
        max_length=BODY_MAX_LENGTH,
        rows=8,
        help_text=_("Posted in the thread as the department's answer, visible to every reader."),
    )
    submission_key = forms.UUIDField(required=False, widget=forms.HiddenInput)


class AuditFilterForm(forms.Form):
    action = _select(_("Action"))
    topic = _pick_one(_("Topic"))

    def __init__(self, *args, actions, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions")), *actions]
        self.fields["topic"].choices = _all_or_one(_("All topics"), topics)


class RegisterFilterForm(forms.Form):
    status = _select(_("Status"), choices=[("", _("All statuses")), *Escalation.Status.choices])
    department = _pick_one(_("Department"))
    topic = _pick_one(_("Topic"))

    def __init__(self, *args, departments, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = _all_or_one(_("All departments"), departments)
        self.fields["topic"].choices = _all_or_one(_("All topics"), topics)
