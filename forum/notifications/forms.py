from django import forms
from django.utils.translation import gettext_lazy as _

from forum.notifications.models import Level, Preference

STOP = "stop"


class WatchForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Notify me"),
        choices=[*Level.choices, (STOP, _("As by default (stop following)"))],
        widget=forms.RadioSelect,
    )


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["auto_watch", "language", "mail_addressed", "mail_watched", "mail_staff"]
        widgets = {
            "mail_addressed": forms.RadioSelect,
            "mail_watched": forms.RadioSelect,
            "mail_staff": forms.RadioSelect,
        }


class MarkReadForm(forms.Form):
    """Mark one group read (ids) or all (no ids)."""

    ids = forms.CharField(required=False, max_length=4000)

    def clean_ids(self) -> list[int] | None:
        raw = self.cleaned_data["ids"].strip()
        if not raw:
            return None
        try:
            return [int(part) for part in raw.split(",")]
        except ValueError as exc:
            raise forms.ValidationError(_("Not a list of notifications.")) from exc
