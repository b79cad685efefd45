"""Reversed URLs, computed once per process.

A page reverses a dozen URLs (the header's links and forms, crumbs, the thread's actions) and
Django's reverse() costs about 20 microseconds each, 5-7 % of a page (bench/results/history.md,
round two). The site has no language prefixes, so a URL depends only on its name, its
argument and the script prefix, which is part of every cache key.
"""

from functools import lru_cache

from django.urls import get_script_prefix, reverse

_PLACEHOLDER = 2_147_483_647


@lru_cache(maxsize=256)
def _fixed(name: str, prefix: str) -> str:
    return reverse(name)


@lru_cache(maxsize=256)
def _pattern(name: str, prefix: str) -> tuple[str, str]:
    head, _sep, tail = reverse(name, args=[_PLACEHOLDER]).partition(str(_PLACEHOLDER))
    return head, tail


@lru_cache(maxsize=4096)
def _with_slug(name: str, slug: str, prefix: str) -> str:
    return reverse(name, kwargs={"slug": slug})


def fixed_url(name: str) -> str:
    """reverse(name) for a URL without arguments."""
    return _fixed(name, get_script_prefix())


def pk_url(name: str, pk: int) -> str:
    """reverse(name, args=[pk]) for a URL with one integer argument."""
    head, tail = _pattern(name, get_script_prefix())
    return f"{head}{int(pk)}{tail}"


def slug_url(name: str, slug: str) -> str:
    """reverse(name, kwargs={"slug": slug}) (topics: a few hundred slugs)."""
    return _with_slug(name, slug, get_script_prefix())
