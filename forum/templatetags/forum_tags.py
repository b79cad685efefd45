from datetime import datetime

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def timestamp(value: datetime | None) -> str:
    """A <time> element: machine-readable datetime, local short date and time for people."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return format_html(
        '<time datetime="{}">{}</time>',
        local.isoformat(timespec="seconds"),
        date_filter(local, "SHORT_DATETIME_FORMAT"),
    )
