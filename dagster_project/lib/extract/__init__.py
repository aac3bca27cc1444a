"""Extraction: claims, actors, figures and events from a cleaned article body.

Entry points: :func:`extract_article`, and :func:`extract_articles` for a batch
(one model pass over all its bodies, as the extract step runs a chunk). Every claim and mention carries a
half-open character span into the body it came from, with
``body_text[char_start:char_end]`` equal to its text. Nothing is extracted
from ``body_text[truncated_from:]``.

Pieces (each usable alone):

- :mod:`.sentences` – sentence spans; headings and questions are not claims.
- :mod:`.claims` – assertion kind and source of a sentence.
- :mod:`.actors` – actor mentions resolved through the alias CSV, pycountry,
  demonyms and per-article people/organisations (spaCy proposes, rules decide).
- :mod:`.dates`, :mod:`.figures`, :mod:`.events` – dates, numeric facts and
  dated happenings.

Mentions of one figure across articles are merged in the warehouse, by one rule
(``dbt/models/intermediate/int_figure_mentions__keyed.sql``).
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import threading
from collections.abc import Sequence

from ..records import ActorMention, Claim, EventMention, Extraction, FigureMention
from .actors import find_actors
from .claims import assertion_of
from .dates import find_dates
from .event_actors import event_actors
from .events import find_events
from .figures import ARTICLE_CURRENCY, article_currency, find_figures
from .nlp import get_nlp
from .sentences import split_sentences

__all__ = ["extract_article", "extract_articles", "warm_up"]

# One thread at a time uses the model (a spaCy pipeline is not made for two at
# once): a cluster worker's first task waits here for the warm-up its background
# thread may still be running (:func:`warm_up`).
_MODEL_USE = threading.RLock()


def _one_at_a_time(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with _MODEL_USE:
            return fn(*args, **kwargs)

    return wrapper


@_one_at_a_time
def extract_article(
    body_text: str, *, published_date: dt.date | None = None, truncated_from: int | None = None,
    doc=None,
) -> Extraction:
    """Everything extracted from ``body_text`` up to ``truncated_from``. ``doc``: the
    model's Doc of that text when the caller already has it (:func:`extract_articles`)."""
    end = _end(body_text, truncated_from)
    if doc is None and end:
        doc = get_nlp()(body_text[:end])
    return _extract(body_text, published_date, end, doc)


@_one_at_a_time
def extract_articles(
    articles: Sequence[tuple[str, dt.date | None, int | None]],
) -> list[Extraction]:
    """:func:`extract_article` of each ``(body_text, published_date, truncated_from)``,
    with one ``nlp.pipe`` over all the bodies: the model batches its work across
    documents, which a call per article does not. Raises if any article does."""
    ends = [_end(body, truncated_from) for body, _, truncated_from in articles]
    docs = iter(get_nlp().pipe(body[:end] for (body, _, _), end in zip(articles, ends) if end))
    return [
        extract_article(body, published_date=published_date, truncated_from=truncated_from,
                        doc=next(docs) if end else None)
        for (body, published_date, truncated_from), end in zip(articles, ends, strict=True)
    ]


def warm_up() -> None:
    """Load what the first article would: the model, and the rules' tables built on
    first use (a cluster worker runs this as it joins, :mod:`..warm_up`)."""
    extract_article("On 3 March 2024 the ministry said exports rose 5% to $2 billion.")


def _end(body_text: str, truncated_from: int | None) -> int:
    """Where extraction stops: the truncation point, inside the body."""
    end = truncated_from if truncated_from is not None else len(body_text)
    return max(0, min(end, len(body_text)))


def _extract(body_text: str, published_date: dt.date | None, end: int, doc) -> Extraction:
    """Everything extracted from ``body_text[:end]``, given the model's ``doc`` of it."""
    claims = _claims(body_text, end)
    spans = [(c.char_start, c.char_end) for c in claims]
    actor_mentions, actors_by_claim = _actor_mentions(body_text, doc, end, spans)
    spans_by_claim: dict[int, list[tuple[int, int, str]]] = {}
    for m in actor_mentions:
        spans_by_claim.setdefault(m.claim_index, []).append(
            (m.char_start, m.char_end, m.canonical_name)
        )
    figures: list[FigureMention] = []
    events: list[EventMention] = []
    for ci, (s, e) in enumerate(spans):
        dates = find_dates(body_text, published_date, s, e)
        names = tuple(actors_by_claim.get(ci, ()))
        figures.extend(_figure_mentions(body_text, doc, ci, s, e, dates, names))
        ev_names = _event_actors(body_text, spans, actors_by_claim, ci, names)
        events.extend(
            _event_mentions(body_text, doc, ci, s, e, dates, ev_names, spans_by_claim.get(ci, []))
        )
    if any(f.unit == ARTICLE_CURRENCY for f in figures):
        code = article_currency([f.unit for f in figures])
        figures = [dataclasses.replace(f, unit=code) if f.unit == ARTICLE_CURRENCY else f
                   for f in figures]
    return Extraction(
        claims=tuple(claims),
        actor_mentions=tuple(actor_mentions),
        figure_mentions=tuple(figures),
        event_mentions=tuple(events),
    )


def _claims(body_text: str, end: int) -> list[Claim]:
    """The body's sentences that assert something, with their assertion kind."""
    claims = []
    for s in split_sentences(body_text, end):
        if s.kind == "claim":
            assertion, source = assertion_of(s.text)
            claims.append(Claim(s.start, s.end, s.text, assertion, source))
    return claims


def _actor_mentions(
    body_text: str, doc, end: int, spans: list[tuple[int, int]]
) -> tuple[list[ActorMention], dict[int, list[str]]]:
    """Actor mentions inside claims, and the canonical names each claim names (in order)."""
    starts = [s for s, _ in spans]
    mentions: list[ActorMention] = []
    by_claim: dict[int, list[str]] = {}
    for f in find_actors(body_text, doc, end):
        ci = bisect.bisect_right(starts, f.start) - 1  # claims are sorted and disjoint
        if ci < 0 or f.end > spans[ci][1]:
            continue
        mentions.append(ActorMention(ci, f.start, f.end, body_text[f.start : f.end],
                                     f.entry.canonical, f.entry.actor_type))
        names = by_claim.setdefault(ci, [])
        if f.entry.canonical not in names:
            names.append(f.entry.canonical)
    return mentions, by_claim


def _event_actors(
    body_text: str, spans: list[tuple[int, int]], actors_by_claim: dict[int, list[str]],
    ci: int, names: tuple[str, ...],
) -> tuple[str, ...]:
    """The actors of a claim's events.

    A sentence naming fewer than two actors ('even then, a pattern of cooperation
    began to emerge') takes in the previous sentence's actors when it is in the same
    paragraph; a sentence naming none ('The alliance cut output in April 2020')
    speaks of the actors of the nearest earlier sentence that names some.
    """
    s = spans[ci][0]
    ev_names = names
    if len(names) < 2 and ci > 0 and "\n" not in body_text[spans[ci - 1][1] : s]:
        ev_names = names + tuple(n for n in actors_by_claim.get(ci - 1, ()) if n not in names)
    if not ev_names:
        back = next(
            (actors_by_claim[k] for k in range(ci - 1, -1, -1) if actors_by_claim.get(k)), ()
        )
        ev_names = tuple(back)
    return ev_names


def _figure_mentions(body_text, doc, ci, s, e, dates, names) -> list[FigureMention]:
    """The figures stated in claim ``ci`` (span ``[s, e)``)."""
    return [
        FigureMention(ci, fg.start, fg.end, body_text[fg.start : fg.end], float(fg.value),
                      fg.unit, fg.qualifier, fg.value_high, fg.measure, fg.period_text,
                      fg.actor_names)
        for fg in find_figures(body_text, s, e, doc, dates, names)
        if s <= fg.start < fg.end <= e
    ]


def _event_mentions(body_text, doc, ci, s, e, dates, ev_names, mentions) -> list[EventMention]:
    """The dated happenings stated in claim ``ci`` (span ``[s, e)``). Their actors are
    the trigger's participants in the parse (:mod:`.event_actors`); when its doer is
    not named ('The alliance cut output', 'it said'), the actors of the sentence and
    its context (``ev_names``) are added after them."""
    out = []
    for ev in find_events(body_text, s, e, doc, dates):
        d = ev.date
        names, doer = event_actors(ev.trigger, mentions) if ev.trigger is not None else ((), False)
        if not doer:
            names += tuple(n for n in ev_names if n not in names)
        out.append(EventMention(ci, ev.start, ev.end, body_text[ev.start : ev.end],
                                ev.event_type, d.value, d.precision if d.value else "unknown",
                                d.date_start, d.date_end, names, ev.location,
                                ev.description))
    return out
