"""What the spaCy parse says around a number: the noun it counts, what it measures,
the happening a repeat word counts.

The parse only proposes: the callers in :mod:`.figures` decide. ``doc`` may be
None (no parse): every function then answers as if the parse had nothing to say.
"""

from __future__ import annotations

import re

from .figure_vocab import EVENT_NOUN, MEASURE_UNITS, MEASURE_WORDS, singular


def token_at(doc, char: int):
    """The token holding character ``char``, or None."""
    if doc is None:
        return None
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def counted_noun(body: str, pos: int, doc) -> tuple[str | None, int]:
    """The noun counted by a number ending at ``pos``: (unit, end offset)."""
    tail = body[pos : pos + 80]
    m = re.match(r"\s*[-–]?\s*(?P<u>percentage\s+points?|[A-Za-z]+)\b", tail)
    if m and m.group("u").lower() in MEASURE_UNITS:
        return MEASURE_UNITS[m.group("u").lower()], pos + m.end()
    tok = token_at(doc, pos + (len(tail) - len(tail.lstrip())))
    if tok is None:
        return None, pos
    i = tok.i
    nouns = []
    end = pos
    n_adj = 0
    while i < len(doc) and len(nouns) < 4:
        t = doc[i]
        if t.idx >= pos + 80 or "\n" in t.text:
            break
        if t.pos_ in ("NOUN",) or (t.pos_ == "PROPN" and re.fullmatch(r"[A-Z0-9]{2,}s?", t.text)):
            if t.text.lower() in ("of", "times", "time"):
                break
            nouns.append(t)
            end = t.idx + len(t.text)
            i += 1
            continue
        if (
            not nouns
            and (
                t.pos_ in ("ADJ", "VERB")
                and t.tag_ in ("JJ", "VBN", "VBG", "NNP")
                or t.tag_ == "NNP"
                or t.text in ("-", "–")
            )
            and n_adj < 3
        ):
            if t.tag_ == "VBG" and i + 1 < len(doc) and doc[i + 1].pos_ != "NOUN":
                break
            n_adj += 1
            i += 1
            continue
        break
    if not nouns:
        return None, pos
    words = [n.text for n in nouns]
    # Drop possessive/lower-value leading nouns that are clearly classifiers of time.
    unit = " ".join(words[:-1] + [singular(words[-1])])
    if unit[:1].isupper() and not unit.isupper() and not re.fullmatch(r"[A-Z0-9]+", words[-1]):
        unit = unit[0].lower() + unit[1:]
    last = nouns[-1]
    if (
        singular(last.text.lower()) in MEASURE_WORDS
        and last.i + 2 < len(doc)
        and doc[last.i + 1].lower_ == "of"
        and doc[last.i + 2].pos_ in ("NOUN",)
    ):
        unit = f"{unit} of {doc[last.i + 2].text}"
        end = doc[last.i + 2].idx + len(doc[last.i + 2].text)
    return unit, end


def measure_phrase(doc, start: int, end: int, unit: str) -> str | None:
    """A short phrase saying what the number counts or values."""
    if doc is None:
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    root = span.root
    node = root
    for _ in range(4):
        if node.head.i == node.i:
            break
        node = node.head
        if node.pos_ in ("VERB", "AUX", "NOUN") and not (node.idx >= start and node.idx < end):
            break
    if node.pos_ == "NOUN" and not (start <= node.idx < end):
        mods = [c for c in node.children if c.dep_ in ("compound", "amod") and c.i < node.i]
        words = [t.text for t in sorted(mods + [node], key=lambda t: t.i)]
        return " ".join(words)
    if node.pos_ in ("VERB", "AUX"):
        parts = []
        subj = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            s = subj[0]
            sub = [t for t in s.subtree if t.dep_ in ("compound", "amod") or t is s]
            parts.append(" ".join(t.text for t in sorted(sub, key=lambda t: t.i)[-4:]))
        parts.append(node.text)
        for c in node.children:
            if c.dep_ == "prep" and c.i > node.i and not (start <= c.idx < end):
                sub = list(c.subtree)
                if any(start <= t.idx < end for t in sub):
                    continue
                parts.append(" ".join(t.text for t in sub[:6]))
                break
        return " ".join(p for p in parts if p)[:120] or None
    return unit



def happening_counted(doc, a: int, before: str) -> str:
    """What a repeat word at ``a`` counts ('met Raisi thrice' -> 'meeting'): the noun of
    the verb it depends on, else of the nearest verb-like word in ``before``, else 'time'."""
    tok = token_at(doc, a)
    verb = None
    if tok is not None:
        node = tok
        for _ in range(3):
            node = node.head
            if node.pos_ in ("VERB", "AUX"):
                verb = node
                break
    if verb is None:
        # Nearest verb-like word to the left.
        words = re.findall(r"[a-z]+", before.lower())
        for w in reversed(words):
            if w in EVENT_NOUN:
                verb = w
                break
    vt = verb if isinstance(verb, str) else (verb.lower_ if verb is not None else "")
    vl = (
        verb.lemma_.lower()
        if verb is not None and not isinstance(verb, str) and verb.lemma_
        else vt
    )
    return EVENT_NOUN.get(vt) or EVENT_NOUN.get(vl) or "time"


def _noun_unit(noun) -> str:
    """A counted noun with its compounds ('fighter jets' -> 'fighter jet')."""
    mods = [c for c in noun.children if c.dep_ == "compound" and c.i < noun.i and c.pos_ == "NOUN"]
    words = [t.text for t in sorted(mods, key=lambda t: t.i)] + [singular(noun.text)]
    unit = " ".join(words)
    if unit[:1].isupper() and not re.fullmatch(r"[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*", words[-1]):
        unit = unit[0].lower() + unit[1:]
    return unit


def number_token(doc, start: int, end: int):
    """The last token of the number at [start, end) ('24,025,940', the 'lakh' of '12
    lakh'): the one holding its last character."""
    return token_at(doc, end - 1)


def governed_noun(doc, start: int, end: int) -> tuple[str | None, int]:
    """The noun a number modifies in the parse, when words the pattern reader does not
    take stand between them ('48 FA-50 fighter jets', 'three MoUs', '16 and 12 seats',
    '10 other non-OPEC countries'): (unit, end of the noun)."""
    tok = number_token(doc, start, end)
    if tok is None:
        return None, end
    node = tok
    for _ in range(4):
        if node.dep_ not in ("nummod", "compound", "conj", "quantmod", "amod") or node.head.i <= node.i:
            return None, end
        node = node.head
        # A proper noun is a name ('Boeing 737 Max'), unless a plural acronym ('three MoUs').
        if node.pos_ == "NOUN" or node.pos_ == "PROPN" and re.fullmatch(r"[A-Z][A-Za-z]*[A-Z]s", node.text):
            if node.i - tok.i > 6 or "\n" in doc[tok.i : node.i].text:
                return None, end
            return _noun_unit(node), node.idx + len(node.text)
    return None, end


def partitive_noun(doc, start: int, end: int) -> tuple[str | None, int]:
    """The whole a number takes a part of ('35 of the 36 jets', '30 out of 51 agreements',
    'three of the world's biggest producers'): (unit, end of the noun); None for
    pronouns ('two of them')."""
    tok = number_token(doc, start, end)
    if tok is None:
        return None, end
    for prep in tok.children:
        if prep.dep_ != "prep" or prep.i <= tok.i:
            continue
        if prep.lower_ == "out":
            prep = next((c for c in prep.children if c.lower_ == "of"), None)
            if prep is None:
                continue
        if prep.lower_ != "of":
            continue
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        # Parts of a plural only ('page 12 of the report' is no part of it).
        if obj is not None and obj.pos_ in ("NOUN", "PROPN") and (
            obj.tag_ in ("NNS", "NNPS") or obj.lower_ in ("aircraft", "personnel", "people")
        ):
            return _noun_unit(obj), obj.idx + len(obj.text)
    return None, end


def stated_quantity(doc, start: int, end: int) -> str:
    """What a bare number states ('the total valid votes were 24,025,940' -> 'vote';
    'its tally of 22' -> 'tally'), else 'count'."""
    tok = number_token(doc, start, end)
    if tok is None:
        return "count"
    head = tok.head
    # Only a copula's subject is what the number counts ('the votes were 24,025,940');
    # the subject of another verb is who acts ('the company employs 9,000').
    if tok.dep_ == "attr" and head.lemma_ == "be":
        subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None and subj.pos_ == "NOUN":
            noun = subj
            of = next((c for c in subj.children if c.lower_ == "of"), None)
            obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if obj is not None and obj.pos_ == "NOUN" and subj.lower_ in ("number", "total", "tally"):
                noun = obj
            return singular(noun.text.lower())
    if tok.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN":
        return singular(head.head.text.lower())
    return "count"
