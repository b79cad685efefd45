"""English dates that cannot be misread: day before month, the month as a word (1 Dec 2026)
and a 24-hour clock, instead of Django's US 12/01/2026. Tables use ISO dates (their
templates say "Y-m-d"). What is not set here comes from Django's own English formats."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 1  # Monday
