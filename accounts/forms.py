"""The login form: validation only."""

from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    """Django's login form in Designsystemet's field styling (validation is Django's own)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "ds-input"
        # Django autofocuses the e-mail box, which puts a keyboard user past the skip link
        # and the header before the page has been read (WCAG 2.4.3). Focus starts at the
        # top of the page; after a refused attempt static/js/app.js focuses the error summary.
        self.fields["username"].widget.attrs.pop("autofocus", None)
