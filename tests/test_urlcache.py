"""erfaringsforum.urlcache gives what reverse() gives, under any script prefix."""

from django.urls import reverse, set_script_prefix

from erfaringsforum import urlcache


def test_cached_urls_equal_reverse_under_each_script_prefix():
    try:
        for prefix in ("/", "/forum/", "/intranett/erfaring/"):
            set_script_prefix(prefix)
            for name in ("forum:home", "forum:search", "accounts:logout", "set_language"):
                assert urlcache.fixed_url(name) == reverse(name)
            for pk in (1, 42, 10**17):
                assert urlcache.pk_url("forum:thread-detail", pk) == reverse(
                    "forum:thread-detail", kwargs={"pk": pk}
                )
            for slug in ("sykepenger", "arbeid-og-oppfolging"):
                assert urlcache.slug_url("forum:topic-detail", slug) == reverse(
                    "forum:topic-detail", kwargs={"slug": slug}
                )
            assert urlcache.fixed_url("forum:home").startswith(prefix)
    finally:
        set_script_prefix("/")
