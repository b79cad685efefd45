"""Norwegian text for the benchmark: words from bench/words_nb.txt, sentences, paragraphs,
titles, and a pool of paragraphs rendered once through the forum's Markdown renderer."""

from __future__ import annotations

import bisect
import itertools
import random
import unicodedata
from pathlib import Path

from django.utils.text import slugify

from bench.seeding.bulk import copy_escape
from forum.markdown import RENDERER_VERSION, render_markdown

WORDS_FILE = Path(__file__).resolve().parent.parent / "words_nb.txt"
PARAGRAPH_POOL = 6_000


TITLE_TEMPLATES = [
    "Hvordan håndterer dere {a} ved {b}?",
    "Spørsmål om {a} og {b}",
    "Erfaringer med {a} i {b}",
    "{A}: praksis for {b}?",
    "Rutine for {a} når {b} mangler",
    "Hvem har ansvar for {a}?",
    "Tips om {a} og {b}",
    "Uklart regelverk: {a} og {b}",
    "God praksis: {a}",
    "Frist for {a} ved {b}?",
]


def ascii_fold(text: str) -> str:
    text = text.replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = text.replace("Æ", "Ae").replace("Ø", "O").replace("Å", "A")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def topic_slug(name: str) -> str:
    return slugify(ascii_fold(name))


def load_words(path: Path = WORDS_FILE) -> tuple[list[str], list[str]]:
    """(ranked common words, rare words) from the word list; duplicates dropped, order kept."""
    common: list[str] = []
    rare: list[str] = []
    target = common
    seen: set[str] = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line == "# rare":
            target = rare
            continue
        if not line or line.startswith("#") or line in seen:
            continue
        seen.add(line)
        target.append(line)
    return common, rare


def mix(x: int) -> int:
    """A 64-bit integer hash (splitmix64 finaliser): cheap, deterministic pseudo-randomness."""
    x = (x + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return x ^ (x >> 31)


class Generator:
    """Holds the random source and the text pools; everything derives from one seed."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.words, self.rare_words = load_words()
        # Zipf-like word frequencies: weight 1/rank^1.1.
        self.word_cum = list(
            itertools.accumulate(1 / (r + 1) ** 1.1 for r in range(len(self.words)))
        )

    def word(self) -> str:
        return self.words[bisect.bisect(self.word_cum, self.rng.random() * self.word_cum[-1])]

    def sentence(self, extra: str | None = None) -> str:
        n = self.rng.randint(5, 16)
        words = [self.word() for _ in range(n)]
        if extra:
            words.insert(self.rng.randrange(len(words) + 1), extra)
        if n > 9 and self.rng.random() < 0.4:
            words[self.rng.randrange(3, n - 2)] += ","
        text = " ".join(words)
        end = "?" if self.rng.random() < 0.2 else "."
        return text[0].upper() + text[1:] + end

    def paragraph(self, extra: str | None = None) -> str:
        count = self.rng.choice((1, 2, 2, 3, 3, 4))
        sentences = [self.sentence() for _ in range(count)]
        if extra:
            sentences[-1] = self.sentence(extra)
        return " ".join(sentences)

    def paragraph_pool(self, size: int = PARAGRAPH_POOL) -> list[str]:
        """Pool paragraphs; rare words go into exactly one paragraph each (rare search hits)."""
        pool = [self.paragraph() for _ in range(size)]
        for i, rare in enumerate(self.rare_words):
            pool[(i * 7919 + 13) % size] = self.paragraph(extra=rare)
        return pool

    def title(self) -> str:
        template = self.rng.choice(TITLE_TEMPLATES)
        a, b = self.word(), self.word()
        return template.format(a=a, b=b, A=a[:1].upper() + a[1:])[:150]


def render_pool(pool: list[str]) -> tuple[list[str], list[str], int]:
    """(COPY-escaped markdown, COPY-escaped HTML, renderer version) for each pool paragraph."""
    md = [copy_escape(p) for p in pool]
    html = [copy_escape(render_markdown(p)) for p in pool]
    return md, html, RENDERER_VERSION


def body_paragraphs(thread_index: int, position: int, seed: int, pool_size: int) -> list[int]:
    """Which pool paragraphs make up a post's body: 1-4, chosen by a hash of its place."""
    h = mix((seed << 40) ^ (thread_index << 20) ^ position)
    roll = h % 100
    count = 1 if roll < 35 else 2 if roll < 70 else 3 if roll < 90 else 4
    if position == 1:
        count = max(count, 2)
    out = []
    for _ in range(count):
        h = mix(h)
        out.append(h % pool_size)
    return out
