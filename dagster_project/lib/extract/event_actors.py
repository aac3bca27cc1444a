"""The actors of an event, from the grammar of its sentence.

An event's participants are the trigger's arguments in the dependency parse:
its subject (active or passive), object, agent ('by the council'), the objects
of the prepositions that name parties ('with India', 'between X and Y', 'to
Ukraine', 'against Russia'), and a noun trigger's possessor or compound
modifiers ("Poland's deal", 'the EU sanctions'). A noun trigger that is the
object of a verb takes the verb's subject too ('Russia signed a deal'); a
trigger that completes another verb ('agreed to buy', 'plans to visit') takes
that verb's subject when it has none of its own. Names elsewhere in the
sentence (a place the talks were held in, a source quoted, a side remark) are
not the event's actors.
"""

from __future__ import annotations

# Dependents that are participants of the word they hang on.
ARG_DEPS = {"nsubj", "nsubjpass", "dobj", "dative", "attr", "poss", "compound", "nmod",
            "appos", "oprd"}
# Prepositions whose object is a party to the event, not its place or time.
PARTY_PREPS = {"with", "between", "by", "to", "from", "of", "for", "against", "among",
               "on", "over", "toward", "towards", "into"}
SUBJECTS = {"nsubj", "nsubjpass"}


def _span(tok) -> tuple[int, int]:
    sub = list(tok.subtree)
    return sub[0].idx, sub[-1].idx + len(sub[-1].text)


def _args(tok) -> list[tuple[int, int]]:
    spans = []
    for c in tok.children:
        if c.dep_ in ARG_DEPS:
            spans.append(_span(c))
        elif c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ in PARTY_PREPS):
            spans += [_span(g) for g in c.children if g.dep_ == "pobj"]
    return spans


def participant_spans(trig) -> list[tuple[int, int]]:
    """Character spans of the words that fill the trigger's roles."""
    spans = _args(trig)
    has_subject = any(c.dep_ in SUBJECTS for c in trig.children)
    head = trig.head
    if trig.pos_ in ("NOUN", "PROPN") and trig.dep_ in ("dobj", "nsubjpass", "attr", "pobj"):
        # 'Russia signed a deal', 'talks were held by X', 'a visit by Y'
        verb = head.head if trig.dep_ == "pobj" and head.dep_ == "prep" else head
        spans += [_span(c) for c in verb.children if c.dep_ in SUBJECTS and c.i != trig.i]
        spans += [_span(g) for c in verb.children if c.dep_ == "agent" for g in c.children]
    elif not has_subject and trig.dep_ in ("xcomp", "ccomp", "advcl", "conj", "relcl", "acl"):
        # 'agreed to buy', 'signed and ratified', 'the deal, which was signed by ...'
        spans += [_span(c) for c in head.children if c.dep_ in SUBJECTS]
        if trig.dep_ in ("relcl", "acl"):
            spans.append((head.idx, head.idx + len(head.text)))
    return spans


def event_actors(trig, mentions: list[tuple[int, int, str]]) -> tuple[str, ...]:
    """Canonical names of the ``mentions`` ((start, end, name), in text order) that fall
    inside the trigger's participant spans, in text order, without repeats."""
    spans = participant_spans(trig)
    out: list[str] = []
    for a, b, name in mentions:
        if any(s <= a and b <= e for s, e in spans) and name not in out:
            out.append(name)
    return tuple(out)
