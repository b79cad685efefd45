from django.http import Http404
from django.utils.translation import gettext as _

MAX_PAGE = 1_000_000


def page_number(raw: str | None) -> int:
    """Turn a ?page= value into a page number; anything that is not one is a 404.

    Accepts 1..MAX_PAGE and the empty value (page 1); 0, negatives, 'abc', '1e5' and
    numbers with hundreds of digits are refused before they reach a query.
    """
    if raw is None or raw == "":
        return 1
    if raw == "last":
        return -1
    if not raw.isascii() or not raw.isdigit() or len(raw) > 7:
        raise Http404(_("There is no such page."))
    number = int(raw)
    if number < 1 or number > MAX_PAGE:
        raise Http404(_("There is no such page."))
    return number
