"""forum.widgets render exactly what Django's widget templates render."""

import pytest
from django import forms
from django.utils.safestring import mark_safe

from forum import widgets
from tests.conftest import bad_input_lines

VALUES = [None, "", "enkel", 'sitat "her" & <b>fet</b>', "linje 1\nlinje 2", "æøå ÆØÅ", 42,
          mark_safe("<i>trygg</i>"), "  innrykk  ", "\\u0000 og '"]  # fmt: skip
ATTRS = [
    {},
    {"rows": 10, "class": "ds-input", "data-body": ""},
    {"required": True, "disabled": False, "aria-describedby": 'id_body_help "x"'},
    {"class": "<script>", "maxlength": 32000, "autocomplete": "off"},
]
PAIRS = [
    (widgets.Textarea, forms.Textarea),
    (widgets.HiddenInput, forms.HiddenInput),
    (widgets.TextInput, forms.TextInput),
]


@pytest.mark.parametrize(("ours", "djangos"), PAIRS)
@pytest.mark.parametrize("attrs", ATTRS)
def test_the_same_html_as_djangos_templates(ours, djangos, attrs):
    for value in VALUES:
        expected = djangos(attrs=attrs).render("body", value, attrs={"id": "id_body"})
        assert ours(attrs=attrs).render("body", value, attrs={"id": "id_body"}) == expected


@pytest.mark.parametrize("corpus", ["blns.txt", "markdown-xss-payloads.txt"])
def test_the_same_html_for_hostile_values(corpus):
    lines = bad_input_lines(corpus)
    for ours, djangos in PAIRS:
        for line in lines:
            expected = djangos().render("body", line)
            assert ours().render("body", line) == expected, line
