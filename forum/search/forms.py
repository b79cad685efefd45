import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import County, Unit
from forum.models import Thread, Topic
from forum.querysets import published_topics
from forum.search.engine import Filters
from forum.search.parsing import MAX_QUERY_LENGTH

EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(9000, 12, 31)


class TopicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Topic) -> str:
        return f"{'– ' * obj.level}{obj.name}"


class SearchForm(forms.Form):
    """The search box and its filters, read from the URL (GET); validation only."""

    # No max_length: a longer text is cut by the parser rather than refused.
    q = forms.CharField(
        label=_("Search for"),
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "maxlength": MAX_QUERY_LENGTH}),
    )
    topic = TopicChoiceField(
        label=_("Topic"),
        required=False,
        # The topics search lists (published with every ancestor: the visibility rule's
        # topics for everyone), so the filter names no topic a reader may not see.
        queryset=published_topics(),
        empty_label=_("All topics"),
        help_text=_("Includes its subtopics."),
    )
    county = forms.ModelChoiceField(
        label=_("County"),
        required=False,
        queryset=County.objects.order_by("number"),
        empty_label=_("All counties"),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        required=False,
        queryset=Unit.objects.order_by("name"),
        empty_label=_("All units"),
    )
    date_from = forms.DateField(
        label=_("From date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(
        label=_("Kind of thread"),
        required=False,
        choices=[("", _("All kinds")), *Thread.Kind.choices],
    )
    clarified = forms.BooleanField(label=_("Only threads with a clarified answer"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("relevance", _("Relevance")), ("newest", _("Newest"))],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "ds-input"

    def clean_q(self) -> str:
        # The search box never refuses text: the parser reduces it to what can be searched.
        return (self.cleaned_data.get("q") or "").replace("\x00", " ")

    def _date_in_range(self, name: str) -> datetime.date | None:
        # The filters reach a day past the end date: 9999-12-31 would overflow.
        value = self.cleaned_data.get(name)
        if value is not None and not (EARLIEST_DATE <= value <= LATEST_DATE):
            raise forms.ValidationError(
                _("Choose a date between %(first)s and %(last)s.")
                % {"first": EARLIEST_DATE.isoformat(), "last": LATEST_DATE.isoformat()}
            )
        return value

    def clean_date_from(self) -> datetime.date | None:
        return self._date_in_range("date_from")

    def clean_date_to(self) -> datetime.date | None:
        return self._date_in_range("date_to")

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_valid() else {}
        county, unit = data.get("county"), data.get("unit")
        return Filters(
            topic=data.get("topic"),
            county_id=county.pk if county else None,
            unit_id=unit.pk if unit else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            kind=data.get("kind") or "",
            clarified_only=bool(data.get("clarified")),
            sort=data.get("sort") or "relevance",
        )
