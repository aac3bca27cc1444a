"""Extraction: claims, actors, figures and events from a cleaned article body.

Entry point: :func:`extract_article`. Every claim and mention carries a
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

:func:`figure_dedup_key` is the key that merges mentions of one figure across
articles; the warehouse mirrors it (unit, value rounded to 4 significant
digits, value_high likewise, qualifier).
"""

from __future__ import annotations

import datetime as dt
import math

from ..records import ActorMention, Claim, EventMention, Extraction, FigureMention
from .actors import find_actors
from .claims import assertion_of
from .dates import find_dates
from .events import find_events
from .figures import find_figures
from .nlp import get_nlp
from .sentences import split_sentences

__all__ = ["extract_article", "figure_dedup_key"]


def _round_sig(x: float | None, digits: int = 4) -> float | None:
    if x is None:
        return None
    if x == 0:
        return 0.0
    return round(x, -int(math.floor(math.log10(abs(x)))) + digits - 1)


def figure_dedup_key(unit: str, value: float, value_high: float | None, qualifier: str) -> tuple:
    """Mentions with the same key are one figure: (unit, value, value_high, qualifier).

    Values are rounded to 4 significant digits so '$3.5 billion' and
    '3,500 million dollars' agree. SQL mirror:
    ``(lower(unit), round(value, 3 - floor(log10(abs(value)))), ..., qualifier)``.
    """
    return (unit.lower(), _round_sig(value), _round_sig(value_high), qualifier)


def extract_article(
    body_text: str, *, published_date: dt.date | None = None, truncated_from: int | None = None
) -> Extraction:
    end = truncated_from if truncated_from is not None else len(body_text)
    end = max(0, min(end, len(body_text)))
    sentences = split_sentences(body_text, end)
    nlp = get_nlp()
    doc = nlp(body_text[:end]) if end else None

    claims: list[Claim] = []
    claim_spans: list[tuple[int, int]] = []
    for s in sentences:
        if s.kind != "claim":
            continue
        assertion, source = assertion_of(s.text)
        claims.append(Claim(s.start, s.end, s.text, assertion, source))
        claim_spans.append((s.start, s.end))

    def claim_of(a: int, b: int) -> int | None:
        for i, (s, e) in enumerate(claim_spans):
            if s <= a and b <= e:
                return i
        return None

    actor_mentions: list[ActorMention] = []
    actors_by_claim: dict[int, list[str]] = {}
    for f in find_actors(body_text, doc, end):
        ci = claim_of(f.start, f.end)
        if ci is None:
            continue
        actor_mentions.append(
            ActorMention(
                ci,
                f.start,
                f.end,
                body_text[f.start : f.end],
                f.entry.canonical,
                f.entry.actor_type,
            )
        )
        names = actors_by_claim.setdefault(ci, [])
        if f.entry.canonical not in names:
            names.append(f.entry.canonical)

    figures: list[FigureMention] = []
    events: list[EventMention] = []
    for ci, (s, e) in enumerate(claim_spans):
        dates = find_dates(body_text, published_date, s, e)
        names = tuple(actors_by_claim.get(ci, ()))
        # Events in a sentence naming fewer than two actors ('even then, a pattern of
        # cooperation began to emerge') inherit the previous sentence's actors when it
        # is in the same paragraph.
        ev_names = names
        if len(names) < 2 and ci > 0 and "\n" not in body_text[claim_spans[ci - 1][1] : s]:
            ev_names = names + tuple(n for n in actors_by_claim.get(ci - 1, ()) if n not in names)
        # A sentence naming no actor at all ('The alliance cut output in April 2020')
        # speaks of the actors of the nearest earlier sentence that names some.
        if not ev_names:
            back = next((actors_by_claim[k] for k in range(ci - 1, -1, -1) if actors_by_claim.get(k)), ())
            ev_names = tuple(back)
        for fg in find_figures(body_text, s, e, doc, dates, names):
            if not (s <= fg.start < fg.end <= e):
                continue
            figures.append(
                FigureMention(
                    ci,
                    fg.start,
                    fg.end,
                    body_text[fg.start : fg.end],
                    float(fg.value),
                    fg.unit,
                    fg.qualifier,
                    fg.value_high,
                    fg.measure,
                    fg.period_text,
                    fg.actor_names,
                )
            )
        for ev in find_events(body_text, s, e, doc, dates):
            d = ev.date
            events.append(
                EventMention(
                    ci,
                    ev.start,
                    ev.end,
                    body_text[ev.start : ev.end],
                    ev.event_type,
                    d.value,
                    d.precision if d.value else "unknown",
                    d.date_start,
                    d.date_end,
                    ev_names,
                    ev.location,
                    ev.description,
                )
            )
    return Extraction(
        claims=tuple(claims),
        actor_mentions=tuple(actor_mentions),
        figure_mentions=tuple(figures),
        event_mentions=tuple(events),
    )
