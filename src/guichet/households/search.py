"""Name search: accent- and case-insensitive, tolerant to a typo, the same on SQLite and PostgreSQL.

A per-process token index over ``Person.search_name`` (already normalised: no accents, lower case):
the unique name tokens (a few thousand for a commune) and, for each, the people who carry it. A query
token matches a name token exactly, as a prefix (typing in progress), or within a small edit distance
(optimal string alignment: a swap of two letters counts as one typo). People must match every query
token; they are ranked by the quality of their matches. The index is rebuilt when the people table
changes (a cheap fingerprint query, at most every few seconds) or at once when a service calls
``search_index_invalidate``.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max
from rapidfuzz import process
from rapidfuzz.distance import OSA

from guichet.households.models import Person
from guichet.rules.text import normalize_text

_VERSION_KEY = "guichet:households:search-version"
EXACT, PREFIX = 1.0, 0.9


def typo_budget(token: str) -> int:
    """How many typos a query token may carry: none below 4 letters, one up to 7, two beyond."""
    if len(token) < 4:
        return 0
    return 1 if len(token) <= 7 else 2


@dataclass(frozen=True)
class PersonHit:
    person_id: int
    household_id: int
    score: float


@dataclass
class _Index:
    fingerprint: tuple[object, ...]
    vocabulary: list[str]
    postings: dict[str, list[int]]  # token -> row numbers
    person_ids: list[int]
    household_ids: list[int]
    names: list[str]


_lock = threading.Lock()
_index: _Index | None = None


def search_index_invalidate() -> None:
    """Call after changing people's names, so every process rebuilds its index on next search."""
    global _db_fingerprint, _index
    _db_fingerprint = (0.0, ())
    with _lock:
        _index = None  # this process rebuilds at once; the others see the version change
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, None)


_DB_CHECK_SECONDS = 5.0
_db_fingerprint: tuple[float, tuple[object, ...]] = (0.0, ())


def _fingerprint() -> tuple[object, ...]:
    """The services' version counter (checked on every search) and the table's count and last id
    (checked every few seconds, for writes that bypass the services, such as a bulk import)."""
    global _db_fingerprint
    checked_at, stats = _db_fingerprint
    now = time.monotonic()
    if now - checked_at > _DB_CHECK_SECONDS:
        row = Person.objects.aggregate(count=Count("id"), last=Max("id"))
        stats = (row["count"], row["last"])
        _db_fingerprint = (now, stats)
    return (*stats, cache.get(_VERSION_KEY, 0))


def _build(fingerprint: tuple[object, ...]) -> _Index:
    rows = list(Person.objects.order_by("id").values_list("id", "household_id", "search_name"))
    postings: dict[str, list[int]] = defaultdict(list)
    for row_number, (_, _, name) in enumerate(rows):
        for token in set(name.split()):
            postings[token].append(row_number)
    return _Index(
        fingerprint=fingerprint,
        vocabulary=list(postings),
        postings=dict(postings),
        person_ids=[r[0] for r in rows],
        household_ids=[r[1] for r in rows],
        names=[r[2] for r in rows],
    )


def _current_index() -> _Index:
    global _index
    fingerprint = _fingerprint()
    with _lock:
        if _index is None or _index.fingerprint != fingerprint:
            _index = _build(fingerprint)
        return _index


def _token_matches(index: _Index, token: str) -> dict[str, float]:
    """Name tokens matching one query token, with the quality of the match."""
    matches: dict[str, float] = {}
    budget = typo_budget(token)
    if budget:
        for name_token, distance, _ in process.extract(
            token, index.vocabulary, scorer=OSA.distance, score_cutoff=budget, limit=None
        ):
            matches[name_token] = EXACT - 0.15 * float(distance)
    elif token in index.postings:
        matches[token] = EXACT
    if len(token) >= 2:
        for name_token in index.vocabulary:
            if name_token.startswith(token) and name_token != token:
                matches[name_token] = max(matches.get(name_token, 0.0), PREFIX)
    return matches


def search_people(query: str, *, limit: int = 200) -> list[PersonHit]:
    """People whose name matches every word of ``query``, best first (ties: alphabetical)."""
    tokens = normalize_text(query).split()
    if not tokens:
        return []
    index = _current_index()
    scores: dict[int, float] = {}
    for position, token in enumerate(tokens):
        best_for_row: dict[int, float] = {}
        for name_token, quality in _token_matches(index, token).items():
            for row in index.postings[name_token]:
                if quality > best_for_row.get(row, 0.0):
                    best_for_row[row] = quality
        if position == 0:
            scores = best_for_row
        else:
            scores = {row: scores[row] + q for row, q in best_for_row.items() if row in scores}
        if not scores:
            return []
    ranked = sorted(scores.items(), key=lambda item: (-item[1], index.names[item[0]]))[:limit]
    return [PersonHit(index.person_ids[row], index.household_ids[row], score / len(tokens)) for row, score in ranked]


def search_household_ids(query: str, *, limit: int = 200) -> list[int]:
    """Households of the matching people, best match first, each once."""
    seen: dict[int, None] = {}
    for hit in search_people(query, limit=limit * 3):
        seen.setdefault(hit.household_id, None)
        if len(seen) >= limit:
            break
    return list(seen)
