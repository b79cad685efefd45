"""What an employee types, turned into ``to_tsquery('norwegian', ...)`` text.

Web-search semantics (like ``websearch_to_tsquery``): words are ANDed, ``"a quoted phrase"``
matches in order, ``OR`` (or the bokmål ``ELLER``) between two items offers alternatives,
``-word`` or ``-"phrase"`` excludes. Unlike ``websearch_to_tsquery`` a bare word also
matches the words it begins (``'sykefravær':*`` finds *sykefraværsoppfølging*), because
Snowball does not split Norwegian compounds.

Safety: every operand is reduced to letters and digits before it is quoted, and the
operators are written here, so no input can produce a tsquery syntax error.
"""

import re
from dataclasses import dataclass, field

MAX_QUERY_LENGTH = 2000
MAX_ITEMS = 16
MAX_WORD_LENGTH = 100
# Prefix matching on very short words ('e':*) would match most of the index.
PREFIX_MIN_LENGTH = 4

# The alternatives operator, in any case: English OR and bokmål ELLER (both are stop words to
# the Norwegian index, so no one searches for them as words).
OR_WORDS = frozenset({"or", "eller"})
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class ParsedQuery:
    raw: str
    tsquery: str = ""
    words: tuple[str, ...] = field(default_factory=tuple)
    # Any of the positive items (no exclusions): finds threads whose title holds some words
    # of the query while their opening post holds the rest. Empty for one-item queries.
    any_tsquery: str = ""
    has_exclusions: bool = False

    # Why there is nothing to search for: "empty", "too_short", "no_words", "only_excluded".
    problem: str | None = None

    @property
    def is_searchable(self) -> bool:
        return bool(self.tsquery) and self.problem is None


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text) if len(w) <= MAX_WORD_LENGTH]


def _operand(word: str, *, prefix: bool) -> str:
    # word holds only letters and digits: quoting cannot be broken out of.
    if prefix and len(word) >= PREFIX_MIN_LENGTH:
        return f"'{word}':*"
    return f"'{word}'"


def _item(words: list[str], *, phrase: bool) -> str:
    if len(words) == 1:
        return _operand(words[0], prefix=not phrase)
    if phrase:
        return "(" + " <-> ".join(_operand(w, prefix=False) for w in words) + ")"
    return "(" + " & ".join(_operand(w, prefix=True) for w in words) + ")"


def clean(raw: str | None) -> str:
    return (raw or "").replace("\x00", " ")[:MAX_QUERY_LENGTH].strip()


def parse_query(raw: str | None) -> ParsedQuery:
    text = clean(raw)
    if not text:
        return ParsedQuery(raw=text, problem="empty")
    positives: list[list[str]] = []  # AND of OR-groups
    negatives: list[str] = []
    words_seen: list[str] = []
    pending_or = False
    for match in _TOKEN.finditer(text):
        if len(positives) + len(negatives) >= MAX_ITEMS:
            break
        minus, quoted, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None and bare.lower() in OR_WORDS:
            pending_or = bool(positives)
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            minus, bare = "-", bare[1:]
        phrase = quoted is not None
        words = _words(quoted if phrase else bare)
        if not words:
            continue
        item = _item(words, phrase=phrase)
        if minus:
            negatives.append(f"!{item}")
            pending_or = False
            continue
        words_seen.extend(words)
        if pending_or:
            positives[-1].append(item)
        else:
            positives.append([item])
        pending_or = False
    if not positives:
        if negatives:
            return ParsedQuery(raw=text, problem="only_excluded")
        return ParsedQuery(raw=text, problem="no_words")
    if len(words_seen) == 1 and len(words_seen[0]) < 2:
        return ParsedQuery(raw=text, problem="too_short")
    parts = [group[0] if len(group) == 1 else f"({' | '.join(group)})" for group in positives]
    return ParsedQuery(
        raw=text,
        tsquery=" & ".join(parts + negatives),
        words=tuple(words_seen),
        has_exclusions=bool(negatives),
        any_tsquery=" | ".join(item for group in positives for item in group)
        if len(positives) > 1
        else "",
    )


def parse_title(raw: str | None, *, max_words: int = 12) -> tuple[str, list[str]]:
    """A typed thread title as (cleaned title, its words as tsquery operands)."""
    text = clean(raw)[:300]
    words = [w for w in _words(text) if len(w) >= 2][:max_words]
    return text, [_operand(w, prefix=True) for w in words]
