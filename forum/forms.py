"""Forum forms: validation only. The services validate again; these give field errors."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from forum import widgets
from forum.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Thread

BODY_HELP = _(
    "Markdown: **bold**, *italic*, [link](https://…), lists with -, quotes with >, "
    "`code`, and tables with |."
)


def encodable(value: str) -> None:
    """Lone surrogates cannot be stored; Django's own validator already refuses NUL."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(_("The text contains invalid characters.")) from None


class SubmissionKeyMixin(forms.Form):
    """A key generated when the form is first shown; a resubmission creates nothing new."""

    submission_key = forms.CharField(required=False, max_length=64, widget=widgets.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())

    def clean_submission_key(self) -> uuid.UUID:
        # A missing or tampered key never blocks the text: it just loses the double-submit
        # protection for this one submission.
        try:
            return uuid.UUID(self.cleaned_data.get("submission_key") or "")
        except ValueError:
            return uuid.uuid4()


def body_field(label: str = _("Text")) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=BODY_MAX_LENGTH,
        help_text=BODY_HELP,
        validators=[encodable],
        widget=widgets.Textarea(attrs={"rows": 10, "class": "ds-input", "data-body": ""}),
    )


def title_field() -> forms.CharField:
    return forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        validators=[encodable],
        widget=widgets.TextInput(attrs={"class": "ds-input", "autocomplete": "off"}),
    )


class ThreadForm(SubmissionKeyMixin):
    title = title_field()
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Thread.Kind.choices,
        initial=Thread.Kind.DISCUSSION,
        widget=forms.RadioSelect(attrs={"class": "ds-input"}),
        help_text=_("A question can be marked as solved by the one who asked it."),
    )
    body = body_field()

    field_order = ["title", "kind", "body", "submission_key"]


class ReplyForm(SubmissionKeyMixin):
    body = body_field(_("Your reply"))


class EditPostForm(forms.Form):
    title = title_field()
    body = body_field()
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=500,
        validators=[encodable],
        help_text=_("Optional. Shown in the history of the post."),
        widget=widgets.TextInput(attrs={"class": "ds-input"}),
    )

    def __init__(self, *args, with_title: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not with_title:
            del self.fields["title"]
