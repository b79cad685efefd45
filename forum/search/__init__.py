"""Norwegian full-text search over threads and posts, and similar threads while asking.

``parsing`` turns what an employee types into a safe ``to_tsquery`` text; ``engine`` runs
the bounded, ranked SQL against the database-maintained search vectors (migration
``forum.0003_search``), ``similar`` the similar-threads statement, both on ``common``'s
shared SQL and returning ``results``; ``forms`` validates the filters from the URL.
"""

from forum.search.engine import SearchPage, SimilarThread, search_threads, similar_threads
from forum.search.parsing import ParsedQuery, parse_query, parse_title

__all__ = [
    "ParsedQuery",
    "SearchPage",
    "SimilarThread",
    "parse_query",
    "parse_title",
    "search_threads",
    "similar_threads",
]
