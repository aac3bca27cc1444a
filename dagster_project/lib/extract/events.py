"""Dated happenings: a date expression tied to an event word by the parse.

For each date in a sentence the parse is walked from the date up to the
word it modifies (a noun such as 'outbreak', 'invasion', 'meeting', or a
verb such as 'signed', 'visited'). A happening is emitted only when that
word, or the object of the verb, is an event trigger; dates that bound a
period ('by 2030', 'prior to 2022', 'fiscal year 2022–2023') are not
happenings. When a date sits in a nominal event that frames the main clause
('After the outbreak of the war on Feb. 24, 2022, Raisi made a phone call'),
both the framing event and the main-clause event are emitted.

(Over 400 lines on purpose: the trigger vocabulary and the parse walks that
use it change together.)
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .dates import DateExpr

# Trigger word prefixes -> event type. Checked on lower-cased token text.
TRIGGERS: list[tuple[str, str]] = [
    (r"ratif", "agreement_ratified"),
    (r"sign|ink(?:ed|s)?$", "agreement_signed"),
    (r"summit|meet|met$|talks$|conference$", "meeting"),
    (r"visit|trip$|tour(?:ed)?$", "visit"),
    (r"phon|call$|calls$|telephone", "phone_call"),
    (r"embargo", "sanctions"),
    (r"sanction", "sanctions"),
    (r"invad|invasion|interven|incursion|occup", "invasion"),
    (r"revolution|coup$|uprising", "revolution"),
    (r"crisis|summon|expel|expuls|backlash|standoff", "diplomatic_crisis"),
    (r"rapprochement|mend|normaliz|normalis|reconcil|restor", "rapprochement"),
    (r"war$|wars$|fought|fight|outbreak|broke$|hostilit", "war_outbreak"),
    (r"suppl|deliver|sent$|send|transfer|ship|arm(?:s|ed)$|aid$|assistance", "military_supply"),
    (r"invest", "investment"),
    (r"acqui|buy$|buys$|bought$|buying$|takeover|take-over|purchas|merg", "acquisition"),
    (r"agreement|deal$|deals$|treaty|pact$|accord$|memorandum|contract$|contracts$|mou$|mous$"
     r"|agre|finali[sz]|clinch", "agreement_signed"),
    (r"partnership|collaborat|cooperat|alliance", "rapprochement"),
    (r"election|elect(?:ed|s)?$|re-elect|ballot|poll(?:s|ing)?$|vot", "election"),
    # Decisions of governments, central banks and blocs: rates, packages, bans.
    (r"hike|hiked$|cut$|cuts$|rais(?:e|ed|es|ing)$|lower(?:ed|s|ing)?$|decision|decid|adopt|approv"
     r"|ban$|banned$|bans$|tighten|impos|pledg|allocat|remov|reduc|extend", "policy_decision"),
    (r"announc|unveil|declar|statement$|said$|says$|told$|confirm", "announcement"),
    (
        r"part$|start$|beginning$|establish|annex|initiat|launch|invit|particip|exercis|enter|entered|predict|forecast|"
        r"withdr|join|found(?:ed)?$|creat|attack|strik|struck|bomb|date$|"
        r"experiment|test|conven|host|open(?:ed|ing)$|clos(?:ed|ure)$|"
        r"depart|form(?:ed)?$|arriv|commenc|inaugurat|expir|releas|appeal|effect$|set$",
        "other",
    ),
]
# Types that name what happened more closely than the verb reporting it: 'announced
# sanctions', 'said it would buy', 'agreed to cut output' take the object's type.
SPECIFIC = {
    "sanctions", "military_supply", "investment", "acquisition", "agreement_signed",
    "meeting", "visit", "election", "policy_decision", "phone_call", "invasion",
}
REPORTING = {"announcement", "other", "policy_decision", "agreement_signed"}
_TRIG = [(re.compile(p), t) for p, t in TRIGGERS]
# Verbs that only carry the event named by their complement.
LIGHT_VERBS = {
    "saw",
    "see",
    "sees",
    "seen",
    "began",
    "begin",
    "begun",
    "started",
    "start",
    "made",
    "make",
    "makes",
    "starting",
    "beginning",
    "making",
    "seeing",
    "becoming",
    "held",
    "hold",
    "holds",
    "became",
    "become",
    "been",
    "be",
    "was",
    "were",
    "is",
    "are",
    "has",
    "had",
    "have",
    "marked",
    "mark",
    "took",
    "take",
    "emerge",
    "emerged",
    "developed",
    "develop",
    "reached",
    "reach",
    "evolve",
    "evolved",
    "came",
    "gave",
    "give",
    "provided",
    "provide",
    "concluded",
    "conclude",
}
COOPERATION = re.compile(r"partnership|collaborat|cooperat")
BEGIN = re.compile(r"develop|began|begin|emerg|start|forg|launch")


@dataclass
class Event:
    start: int
    end: int
    event_type: str
    date: DateExpr
    location: str | None = None
    description: str | None = None
    trigger: object = None  # the spaCy token of the event word, for its participants


def _trigger_type(tok) -> str | None:
    w = tok.lower_
    if tok.pos_ not in ("NOUN", "VERB", "PROPN", "ADJ") and w not in ("met",):
        return None
    if w in ("date",) and not any(c.lower_ == "back" for c in tok.children):
        return None
    for rx, t in _TRIG:
        if rx.match(w):
            if t == "other" and tok.pos_ not in ("VERB", "NOUN"):
                return None
            return t
    return None


def _refine(tok, etype: str) -> str | None:
    w = tok.lower_
    words = {t.lower_ for t in tok.subtree} | {tok.head.lower_, tok.head.head.lower_}
    words |= {c.lower_ for c in tok.head.children} | {c.lower_ for c in tok.head.head.children}
    if w == "part" and tok.head.lower_ not in ("take", "took", "taken", "taking", "takes"):
        return None
    if w in ("start", "beginning") and tok.pos_ != "NOUN":
        return None
    if (
        etype == "sanctions"
        and "embargo" in w
        and words & {"end", "lifted", "lifting", "expired", "expiry"}
    ):
        return "embargo_end"
    if etype == "rapprochement" and COOPERATION.match(w):
        ancestors = [a.lower_ for a in list(tok.ancestors)[:4]]
        if not (
            any(BEGIN.match(a) for a in ancestors)
            or any(BEGIN.match(c.lower_) for c in tok.children)
        ):
            # 'cooperated in Syria starting in 2011' is a happening; 'cooperation levels' is not.
            return "other" if tok.pos_ == "VERB" else None
    if (
        etype == "phone_call"
        and tok.pos_ == "NOUN"
        and w.startswith("call")
        and not any(c.lower_ in ("phone", "telephone") for c in tok.children)
        and w != "calls"
    ):
        if not any(c.lower_ in ("phone", "telephone") for c in tok.subtree):
            return "other"
    if (
        etype == "military_supply"
        and w in ("aid", "assistance")
        and not (words & {"military", "arms", "weapons", "lethal"})
    ):
        return "other"
    if (
        etype == "military_supply"
        and tok.pos_ == "NOUN"
        and w.startswith("suppl")
        and not (
            words
            & {
                "military",
                "arms",
                "weapons",
                "equipment",
                "hardware",
                "drones",
                "missiles",
                "ammunition",
                "uavs",
            }
        )
    ):
        return "other"
    if (
        etype == "war_outbreak"
        and w.startswith("broke")
        and not any(c.lower_ == "out" for c in tok.children)
    ):
        return "other"
    if etype in REPORTING and tok.pos_ in ("VERB", "AUX"):
        closer = _object_type(tok)
        if closer and closer != etype:
            return closer
    return etype


_OBJECT_DEPS = {"dobj", "ccomp", "xcomp", "attr", "nsubjpass", "prep", "pobj", "compound",
                "amod", "acl", "advcl", "conj"}


def _object_type(tok, max_depth: int = 3) -> str | None:
    """The nearest specific event word among the verb's objects and complements."""
    level = [c for c in tok.children if c.dep_ in _OBJECT_DEPS - {"conj", "advcl", "amod", "compound"}]
    for _ in range(max_depth):
        nxt = []
        for t in level:
            tt = _trigger_type(t)
            if tt in SPECIFIC and not (t.pos_ in ("VERB", "AUX") and t.lower_ in LIGHT_VERBS):
                return tt
            nxt += [c for c in t.children if c.dep_ in _OBJECT_DEPS]
        level = nxt
    return None


def _find_trigger(tok, date_toks: set[int]):
    """Walk from the date's root to the word it modifies; return [(depth, token, type)]."""
    found = []
    for depth, n in enumerate(_head_chain(tok)):
        if n.i in date_toks:
            continue
        t = _trigger_type(n)
        if t and not (n.pos_ in ("VERB", "AUX") and n.lower_ in LIGHT_VERBS):
            t = _refine(n, t)
            if t:
                found.append((depth, n, t))
            if n.pos_ in ("VERB", "AUX"):
                break
            continue
        if n.pos_ == "NOUN":
            found += _of_object_triggers(n, depth, date_toks)
            continue
        if n.pos_ not in ("VERB", "AUX"):
            continue
        light = n.lower_ in LIGHT_VERBS
        hit = _object_trigger(n, light, depth, date_toks)
        if hit is not None:
            found.append(hit)
        if hit is not None or not (light and n.dep_ in ("advcl", "acl", "xcomp", "pcomp")):
            break
    return found


def _head_chain(tok) -> list:
    """The heads above ``tok``, up to the first verb (at most 8); a light participle
    ('starting in 2011') hands over to the verb it modifies."""
    node = tok
    chain = []
    for _ in range(8):
        if node.head.i == node.i:
            break
        node = node.head
        chain.append(node)
        if node.pos_ in ("VERB", "AUX"):
            if (
                node.lower_ in LIGHT_VERBS
                and node.dep_ in ("advcl", "acl", "xcomp", "pcomp")
                and not _trigger_type(node)
            ):
                continue
            break
    return chain


def _of_object_triggers(n, depth: int, date_toks: set[int]) -> list:
    """'the end of the embargo', 'the start of the war': the event is the 'of' object."""
    found = []
    for p in n.children:
        if p.dep_ == "prep" and p.lower_ == "of":
            for o in p.children:
                if o.dep_ == "pobj" and o.i not in date_toks:
                    tt = _trigger_type(o)
                    tt = _refine(o, tt) if tt else None
                    if tt:
                        found.append((depth, o, tt))
    return found


def _object_trigger(n, light: bool, depth: int, date_toks: set[int]):
    """The happening a verb without a type of its own governs: for a light verb
    ('held talks', 'was the signing'), its object, subject, complement or their
    nouns; for another verb, its object or an 'in/into' object. (depth, token, type)
    or None; the branch the date came from is never searched."""
    for c in n.children:
        if c.i in date_toks or any(t.i in date_toks for t in c.subtree):
            continue  # the branch the date came from
        if light and c.dep_ in (
            "dobj",
            "attr",
            "xcomp",
            "ccomp",
            "nsubj",
            "nsubjpass",
            "oprd",
            "prep",
        ):
            cands = [c] + [
                g
                for g in c.children
                if g.dep_ in ("dobj", "attr", "pobj", "prep", "compound", "amod", "xcomp")
            ]
            cands += [
                gg
                for g in c.children
                if g.dep_ == "prep"
                for gg in g.children
                if gg.dep_ == "pobj"
            ]
        elif not light and (
            c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ in ("in", "into"))
        ):
            cands = [c] if c.dep_ == "dobj" else [g for g in c.children if g.dep_ == "pobj"]
        else:
            continue
        for cand in cands:
            if cand.i in date_toks:
                continue
            t = _trigger_type(cand)
            if t and not (cand.pos_ in ("VERB", "AUX") and cand.lower_ in LIGHT_VERBS):
                t = _refine(cand, t)
                if t and (light or t not in ("other",)):
                    return (depth + 1, cand, t)
    return None


def find_events(body: str, s_start: int, s_end: int, doc, dates: list[DateExpr]) -> list[Event]:
    out: list[Event] = []
    if doc is None:
        return out
    for d in dates:
        if d.boundary or d.value is None:
            continue
        span = doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        date_toks = {t.i for t in span}
        root = span.root
        found = _find_trigger(root, date_toks)
        # Relative clause on the date ('from 2015, when Russia entered the scene').
        for t in span:
            for c in t.children:
                if c.dep_ == "relcl" and c.i not in date_toks:
                    tt = _trigger_type(c)
                    tt = _refine(c, tt) if tt else None
                    if tt:
                        found.append((0, c, tt))
        if not found:
            continue
        found.sort(key=lambda x: x[0])
        # The word the date modifies; if it is a noun (a named happening framing
        # the clause), also the next happening of another type up the parse.
        chosen = [found[0]]
        if found[0][1].pos_ != "VERB":
            for f in found[1:]:
                if f[2] != found[0][2]:
                    chosen.append(f)
                    break
        if len(chosen) == 2 and "other" in (chosen[0][2], chosen[1][2]):
            chosen = [c for c in chosen if c[2] != "other"]
        for _depth, trig, etype in chosen:
            if not _dated_enough(etype, d, trig):
                continue
            a = min(d.start, trig.idx)
            b = max(d.end, trig.idx + len(trig.text))
            a, b = max(a, s_start), min(b, s_end)
            loc = _location(doc, span, trig)
            desc = (
                " ".join(t.text for t in list(trig.subtree)[:14])
                if trig.pos_ == "NOUN"
                else " ".join(t.text for t in trig.subtree if t.i not in date_toks)[:160]
            )
            out.append(Event(a, b, etype, d, loc, desc[:160], trig))
            # Coordinated clauses sharing the date: '... have visited Iran, and
            # senior Iranian officials ... have visited Russia'.
            if trig.pos_ == "VERB":
                for c in trig.children:
                    if (
                        c.dep_ == "conj"
                        and c.pos_ == "VERB"
                        and _trigger_type(c) == _trigger_type(trig)
                        and c.idx + len(c.text) <= s_end
                    ):
                        sub = list(c.subtree)
                        if any(
                            t.ent_type_ == "DATE" and any(ch.isdigit() for ch in t.text)
                            for t in sub
                        ):
                            continue
                        a2 = max(s_start, min(t.idx for t in sub))
                        b2 = c.idx + len(c.text)
                        out.append(
                            Event(
                                a2,
                                b2,
                                etype,
                                d,
                                _location(doc, span, c),
                                " ".join(t.text for t in sub)[:160],
                                c,
                            )
                        )
    return out


_CHANGE = re.compile(r"reduc|lower|rais|cut|hike|increas|decreas|fell|fall|rose|rise|grew|grow|doubl|halv")


def _dated_enough(etype: str, d: DateExpr, trig=None) -> bool:
    """A statement is a happening when dated to the day ('said on Thursday'), not to a
    year; a decision, not a trend over a span of years ('fell by half between 2010 and
    2015')."""
    year_span = d.precision in ("decade", "century") or (
        d.precision == "range" and "-" not in (d.value or "").split("/")[0]
    )
    if etype == "announcement":
        return d.precision in ("day", "range") and not year_span
    if etype == "policy_decision" or (trig is not None and _CHANGE.match(trig.lower_)):
        return not year_span
    return True


def _ents_starting_in(doc, lo: int, hi: int) -> list:
    """The doc's entities starting in tokens [lo, hi), in order. ``doc.ents`` builds every
    entity of the article on each access: asked once per event, that made extraction
    quadratic in the article's length. The index is built once per doc."""
    index = doc.user_data.get("_ents_by_start")
    if index is None:
        ents = list(doc.ents)
        index = doc.user_data["_ents_by_start"] = ([e.start for e in ents], ents)
    starts, ents = index
    return ents[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)]


def _location(doc, date_span, trig) -> str | None:
    """'in Ashgabat on June 29, 2022' -> Ashgabat: a place introduced by in/at near the date."""
    lo = max(0, min(date_span.start, trig.i) - 5)
    hi = min(len(doc), max(date_span.end, trig.i + 1) + 5)
    best = None
    for ent in _ents_starting_in(doc, lo, hi):
        if ent.start < lo or ent.end > hi or ent.label_ not in ("GPE", "LOC", "FAC", "PERSON"):
            continue
        if ent.start > 0 and doc[ent.start - 1].lower_ in ("in", "at"):
            if ent.label_ == "PERSON" and not ent.text[:1].isupper():
                continue
            dist = min(abs(ent.start - date_span.start), abs(ent.start - trig.i))
            if best is None or dist < best[0]:
                best = (dist, ent.text)
    return best[1] if best else None
