"""Records that cross module boundaries: what cleaning and extraction return.

These are the contract between the plain-Python logic (``lib.clean``,
``lib.extract``) and the thin Dagster layer that stores them in DuckDB. They
import nothing from Dagster so the logic can be tested and reused alone.

Offsets are Python string indices (code points), half-open ``[start, end)``.
DuckDB's ``substr`` also counts code points, so
``substr(body_text, char_start + 1, char_end - char_start)`` is the mention.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

# Fixed vocabulary for why a block was removed from a page.
REMOVAL_REASONS = (
    "recent_posts",
    "cookie_notice",
    "fake_author_profile",
    "duplicate_paragraph",
    "related_links",
    "table_of_contents",
    "photo_credit",
    "site_blurb",
    "site_name",
    "author_bio",
    "navigation",
    "social",
    "advertising",
    "newsletter",
    "comments",
    "header",
    "footer",
    "truncated",
    "other",
)


class RemovedBlock(NamedTuple):
    """A piece of the page that is not article body, kept for audit.

    (A named tuple: immutable like the other records, and cheap to create by the
    hundred per page.)"""

    reason: str  # one of REMOVAL_REASONS
    text: str
    raw_start: int  # span in the decoded raw document (text dumps) ...
    raw_end: int  # ... or in trafilatura's text output for HTML (-1 if unknown)


@dataclass(frozen=True)
class CleanedArticle:
    """The article body and metadata recovered from one raw page."""

    body_text: str
    title: str | None = None
    subtitle: str | None = None
    author: str | None = None
    published_date: dt.date | None = None
    site_name: str | None = None
    removed_blocks: tuple[RemovedBlock, ...] = ()
    # Body offset where a final paragraph cut off mid-sentence starts; no
    # claims are extracted from ``body_text[truncated_from:]``.
    truncated_from: int | None = None


@dataclass(frozen=True)
class Claim:
    """A body sentence that asserts something."""

    char_start: int
    char_end: int
    text: str
    # asserted | attributed | hedged | forecast | negated
    assertion: str = "asserted"
    attributed_to: str | None = None


@dataclass(frozen=True)
class ActorMention:
    """A surface form in the body resolved to one canonical actor."""

    claim_index: int  # index into Extraction.claims
    char_start: int
    char_end: int
    surface_text: str
    canonical_name: str
    # country | person | organization | alliance | armed_group | other
    actor_type: str


@dataclass(frozen=True)
class FigureMention:
    """A numeric fact stated in one sentence."""

    claim_index: int
    char_start: int
    char_end: int
    surface_text: str
    value: float
    unit: str  # ISO currency code, 'percent', 'km', or a singular counted noun
    # exact | more_than | at_least | about | up_to | as_much_as | less_than
    qualifier: str = "exact"
    value_high: float | None = None
    measure: str | None = None
    period_text: str | None = None
    actor_names: tuple[str, ...] = ()  # canonical actor names


@dataclass(frozen=True)
class EventMention:
    """A dated happening stated in one sentence."""

    claim_index: int
    char_start: int
    char_end: int
    surface_text: str
    event_type: str
    # ISO/EDTF-like at the stated precision: '2022-07-19', '2022-07', '2022',
    # '1804/1813', '1980s', 'XXXX-04-21'
    event_date: str | None
    # day | month | year | range | decade | century | unknown
    date_precision: str
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    actor_names: tuple[str, ...] = ()
    location: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one cleaned article body."""

    claims: tuple[Claim, ...] = ()
    actor_mentions: tuple[ActorMention, ...] = ()
    figure_mentions: tuple[FigureMention, ...] = ()
    event_mentions: tuple[EventMention, ...] = ()
