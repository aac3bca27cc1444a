"""Actor mentions resolved to one canonical actor each.

Layers, strongest first:

1. ``data/actor_aliases.csv`` – the project's own alias table (capitals,
   metonyms such as 'the Kremlin', acronyms, well-known people). A user
   extends it without touching code; its rows override everything else.
2. pycountry – every country's name, official name and common name, mapped to
   one short canonical name (the CSV decides the canonical form when it names
   the country, e.g. 'Russian Federation' -> 'Russia').
3. ``data/demonyms.csv`` – adjectives/plurals that stand for a state.
4. Per article: people and organisations proposed by the spaCy model and by
   title patterns ('the Minister of Defense Mohammad-Reza Ashtiani'), and
   acronyms defined in the text ('Libyan National Army (LNA)'). The model's
   proposals are filtered (shape, head word, place context), never taken as
   is; surnames resolve to a full name seen in the same article.
5. Within-article resolution, before anything is recorded: a state's
   institutions and their generic heads (:mod:`.institutions`), acronyms by
   their initials (:mod:`.acronyms`), spellings of one person and relatives
   (:mod:`.people`), names in lists of organisations, parties and offices
   (:mod:`.lists`). Across articles, :mod:`.actor_names` decides.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import ahocorasick_rs

from .acronyms import initials_match
from .actor_vocab import (
    ARMED_HEADS,
    NAME_PARTICLES,
    NON_ACTOR_HEADS,
    NOT_NAME,
    ORG_HEADS,
    PLACE_PREPS,
    TITLE_WORDS,
)
from .institutions import scan_institutions
from .lists import government_parties, list_items, lower_case_parties, offices, pairs
from .orgs import org_candidate
from .people import extend_left, fuzzy_country, same_person_longer

DATA = Path(__file__).with_name("data")

# Word tokens: dotted acronyms (U.S.), words with inner apostrophes (but not a
# possessive 's), words joined by '+' (OPEC+) are kept whole; hyphens and
# dashes split tokens so 'Russo-Ukrainian' and 'Russian-led' expose their parts.
TOKEN = re.compile(r"(?:[A-Z]\.){2,}|\w+(?:['’](?![sS]\b)\w+)*\+?")
MAX_NGRAM = 7


@dataclass(frozen=True)
class Entry:
    canonical: str
    actor_type: str
    kind: str  # name | alias | demonym | acronym | surname | person | org


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    surface: str
    entry: Entry


def _norm(s: str) -> str:
    # str.split() splits on exactly what re's \s matches: one space per run, ends stripped
    # (the scan calls this for every n-gram it looks up).
    return " ".join(s.replace("’", "'").split())


def _read_csv(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        rows = [ln for ln in fh if ln.strip() and not ln.lstrip().startswith("#")]
    return list(csv.DictReader(rows))


@functools.lru_cache(maxsize=1)
def static_lexicon() -> dict[str, Entry]:
    """Surface form -> Entry, from pycountry + demonyms + the alias CSV."""
    import pycountry

    aliases = _read_csv("actor_aliases.csv")
    csv_map = {
        _norm(r["alias"]): (r["canonical_name"].strip(), r["actor_type"].strip()) for r in aliases
    }
    lex: dict[str, Entry] = {}
    country_names: dict[str, str] = {}
    for c in pycountry.countries:
        forms = [getattr(c, a, None) for a in ("name", "common_name", "official_name")]
        forms = [_norm(f) for f in forms if f and "," not in f]
        canonical = None
        for f in forms:
            if f in csv_map:
                canonical = csv_map[f][0]
                break
        if canonical is None:
            canonical = _norm(getattr(c, "common_name", None) or c.name)
            if "," in canonical:
                canonical = forms[0] if forms else canonical.split(",")[0]
        for f in forms:
            lex[f] = Entry(canonical, "country", "name")
            if f.startswith("the "):
                lex[f[4:]] = Entry(canonical, "country", "name")
        country_names[canonical] = canonical
    for surface, (canon, atype) in csv_map.items():
        kind = (
            "acronym"
            if re.fullmatch(r"[A-Z.+0-9]{2,}", surface)
            else ("name" if surface == canon else "alias")
        )
        lex[surface] = Entry(canon, atype or "other", kind)
    for r in _read_csv("demonyms.csv"):
        dem, canon = _norm(r["demonym"]), r["canonical_name"].strip()
        atype = lex[canon].actor_type if canon in lex else "country"
        lex.setdefault(dem, Entry(canon, atype, "demonym"))
        if dem.endswith(("an", "i")) and " " not in dem:
            lex.setdefault(dem + "s", Entry(canon, atype, "demonym"))
    return lex


def _tokens(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    return [
        (m.start(), m.end()) for m in TOKEN.finditer(text, start, len(text) if end is None else end)
    ]


def _is_cap(word: str) -> bool:
    return bool(word) and (word[0].isupper() or word[0].isdigit())


def _initial(tok: str) -> bool:
    """'K.', 'N', 'VR', 'J.R.': initials standing for given names."""
    return bool(re.fullmatch(r"[A-Z]\.?|[A-Z]{2}|(?:[A-Z]\.){2,3}", tok))


def _name_like(tok: str) -> bool:
    if tok.lower() in NOT_NAME or tok.lower().rstrip(".") in NOT_NAME:
        return False
    return bool(
        re.fullmatch(
            r"(?:(?:al|el|bin|ibn|abu|ul)-)?[A-Z][a-zà-ÿ'’]+(?:-[A-Za-z][a-zà-ÿ'’]+)*", tok
        )
    )


# --- per-article candidates ---------------------------------------------------

_CAP = r"[A-Z][\w’'\-]*"
_RUN = re.compile(rf"{_CAP}(?:(?:\s+(?:of|for|and|on|the|al-))*\s+{_CAP})*")
_ACRONYM_DEF = re.compile(
    rf"((?:{_CAP})(?:\s+(?:of|for|and|the|on|de)?\s*{_CAP})+)\s+\(([A-Z][A-Z0-9&]{{1,7}})\)"
)


def _head_word(name: str) -> str:
    m = re.search(r"^(.*?)\s+(?:of|for|on)\s+", name)
    part = m.group(1) if m else name
    return part.split()[-1].lower() if part.split() else ""


def _org_type(name: str) -> str | None:
    words = name.split()
    if len(words) < 2 or any(ch.isdigit() for ch in name) or "," in name or "\n" in name:
        return None
    head = _head_word(name)
    if head in NON_ACTOR_HEADS:
        return None
    if head not in ORG_HEADS:
        return None
    content = [w for w in words if w.lower() not in {"of", "for", "and", "the", "on", "de"}]
    if not all(_is_cap(w) for w in content):
        return None
    if head in ARMED_HEADS or re.search(r"\b(?:National|Liberation|Free)\s+Army\b", name):
        return "armed_group"
    return "organization"


def _strip_name(text: str) -> str:
    text = _norm(text)
    text = re.sub(r"^(?:the|The)\s+", "", text)
    text = re.sub(r"'s$|'$", "", text)
    # 'Russian-led X', 'Turkish-backed X': the compound modifier is not the name.
    text = re.sub(r"^(?:\S+-[a-z]\S*\s+)+", "", text)
    # "Russia's Security Council": the possessor is a separate actor.
    text = re.sub(r"^(?:[A-Z][\w.]*\s)*[A-Z][\w.]*'s\s+", "", text)
    text = re.sub(r"^(?:the|The)\s+", "", text)
    return text.strip(" ,.;:()")


def _acts(ent) -> bool:
    """The span is the subject, the agent or the possessor of something ('NDTV reported')."""
    root = ent.root
    if root.dep_ in ("nsubj", "nsubjpass", "poss"):
        return True
    if root.dep_ == "pobj" and root.head.lower_ in ("by", "to") and (
        root.head.head.lower_ in ("according",) or root.head.lower_ == "by"
    ):
        return True
    if root.dep_ == "compound" and root.head.lower_ in SOURCE_NOUNS:
        return True  # 'according to an Acme report', 'Acme data showed'
    return root.dep_ in ("conj", "appos") and root.head.dep_ in ("nsubj", "nsubjpass")


# Verbs (and their nouns) after which 'to X' is a destination, with their inflections
# only: the whole word must match ('moved', not 'movie'; 'sent', not 'sentence';
# 'headed', not 'headline'). The lemmatizer is not loaded, so the forms are listed.
MOTION = re.compile(
    r"go(?:es|ing)?|went|gone|travel(?:s|l?ed|l?ing)?|fl(?:y|ies|ying|ew|own|ight|ights)"
    r"|return(?:s|ed|ing)?|mov(?:e|es|ed|ing)|sen(?:d|ds|ding|t)|deliver(?:s|ed|ing|y|ies)?"
    r"|ship(?:s|ped|ping|ment|ments)?|head(?:s|ed|ing)?|arriv(?:e|es|ed|ing|al)"
    r"|c[ao]me|comes|coming|export(?:s|ed|ing)?|transfer(?:s|red|ring)?"
    r"|relocat(?:e|es|ed|ing|ion)|sail(?:s|ed|ing)?|dr(?:ive|ives|iving|iven|ove)"
    r"|walk(?:s|ed|ing)?|march(?:es|ed|ing)?|deploy(?:s|ed|ing|ment|ments)?|bound"
    r"|rout(?:e|es|ed|ing)|fle(?:e|es|eing|d)|evacuat(?:e|es|ed|ing|ion)|extend(?:s|ed|ing)?"
    r"|trips?|visit(?:s|ed|ing)?|journey(?:s|ed|ing)?|roads?|link(?:s|ed|ing)?"
    r"|connect(?:s|ed|ing|ion|ions)?"
)
# Nouns whose compound modifier is the body that produced them.
SOURCE_NOUNS = {"report", "reports", "data", "survey", "poll", "analysis", "estimate",
                "estimates", "figures", "statement", "statements"}


@functools.lru_cache(maxsize=1)
def _subdivisions() -> frozenset[str]:
    """Names of provinces, states and regions (pycountry's ISO 3166-2 list)."""
    import pycountry

    return frozenset(_norm(s.name) for s in pycountry.subdivisions)


@functools.lru_cache(maxsize=1)
def _table_people() -> dict[str, list[str]]:
    """The alias table's people: canonical name -> every surface form."""
    out: dict[str, list[str]] = {}
    for k, e in static_lexicon().items():
        if e.actor_type == "person":
            out.setdefault(e.canonical, []).append(k)
    return out


@functools.lru_cache(maxsize=1)
def _table_people_search() -> tuple[ahocorasick_rs.AhoCorasick, list[str]]:
    """One automaton over every surface form of the table's people, and the canonical
    name of each form (by index): built once per process."""
    forms, canons = [], []
    for canon, fs in _table_people().items():
        forms.extend(fs)
        canons.extend([canon] * len(fs))
    return ahocorasick_rs.AhoCorasick(forms), canons


@functools.lru_cache(maxsize=1)
def _table_family_names() -> dict[str, frozenset[str]]:
    """The first and the last word of each full name (2+ words) of the table's people
    -> the canonical names written with it."""
    out: dict[str, set[str]] = {}
    for canon, forms in _table_people().items():
        for f in forms:
            if " " in f:
                words = f.split()
                out.setdefault(words[0], set()).add(canon)
                out.setdefault(words[-1], set()).add(canon)
    return {w: frozenset(c) for w, c in out.items()}


def _word_char(text: str, i: int) -> bool:
    r"""re's ``\w`` at ``text[i]`` (False outside the text)."""
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] == "_")


def _word_bounded(text: str, start: int, end: int) -> bool:
    r"""re's ``\b`` holds at both ends of ``text[start:end]``."""
    return (_word_char(text, start - 1) != _word_char(text, start)
            and _word_char(text, end - 1) != _word_char(text, end))


def _table_people_in(body: str) -> dict[str, Entry]:
    """Full names (2+ words) of the table's people the article names in any form.

    One pass of an Aho-Corasick automaton finds every form (overlapping ones too,
    as a separate search per form would); a hit counts between word boundaries."""
    search, canons = _table_people_search()
    named = {
        canons[k]
        for k, s, e in search.find_matches_as_indexes(body, overlapping=True)
        if _word_bounded(body, s, e)
    }
    out: dict[str, Entry] = {}
    for canon, forms in _table_people().items():
        if canon in named:
            for f in forms:
                if " " in f:
                    out[f] = Entry(canon, "person", "name")
    return out


@functools.lru_cache(maxsize=1)
def _states() -> dict[str, str]:
    """Every surface form of a state (names and adjectives) -> its canonical name."""
    return {k: e.canonical for k, e in static_lexicon().items() if e.actor_type == "country"}


# "Norway's Jane Roe": a person after an actor's possessive.
_POSSESSED = re.compile(
    r"\b([A-Z][\w.&-]*)['’]s ((?:[A-Z][a-zà-ÿ'’-]+ ){1,2}[A-Z][a-zà-ÿ'’-]+)\b(?! [A-Z])"
)
# "Jane Roe's Acme Party", "N Jane Roe's Acme Party": a party's or company's owner.
_OWNER = re.compile(
    r"(?<![\w.])((?:[A-Z]{1,2}\.? )?(?:[A-Z][a-zà-ÿ'’-]+ ){1,2}[A-Z][a-zà-ÿ'’-]+)['’]s "
    r"((?:[A-Z][\w()&-]* ?){1,5})"
)


class _ArticleActors:
    def __init__(self, body: str, doc, limit: int):
        self.body = body
        self.doc = doc
        self.limit = limit
        self.lex = static_lexicon()
        self.dynamic: dict[str, Entry] = {}
        self._lone: set[str] = set()  # one-word PERSON spans that act in their sentence
        self._lone_orgs: set[str] = set()  # one-word ORG spans
        self._lower_seen: dict[str, bool] = {}  # :meth:`_written_lower`

    def _written_lower(self, words: str) -> bool:
        """``words`` occur in lower case in the body: a common word capitalised at a
        sentence start ('Markets fell'), not a name. Cached per article."""
        hit = self._lower_seen.get(words)
        if hit is None:
            hit = bool(re.search(rf"\b{re.escape(words.lower())}\b", self.body))
            self._lower_seen[words] = hit
        return hit

    @functools.cached_property
    def _table_people_here(self) -> dict[str, Entry]:
        """The table's people this article names (the body does not change)."""
        return _table_people_in(self.body)

    def _lookup(self, key: str) -> Entry | None:
        return self.dynamic.get(key) or self.lex.get(key)

    def _add_person(self, full: str) -> None:
        full = _strip_name(full)
        toks = full.split()
        while toks and (toks[0].lower().rstrip(".") in TITLE_WORDS or toks[0] in self.lex):
            toks = toks[1:]
        # 'First Lady Jane Roe': a title after a leading modifier still ends the prefix.
        titled = [i for i, t in enumerate(toks[:-1]) if t.lower().rstrip(".") in TITLE_WORDS]
        if titled:
            toks = toks[titled[-1] + 1 :]
        if len(toks) < 2 or len(toks) > 4:
            return
        # Initials may stand before the surname ('Mary K. Jones', 'VR Chaudhari'), never as it.
        if not _name_like(toks[-1]) or not all(
            _name_like(t) or t.lower() in NAME_PARTICLES or _initial(t) for t in toks[:-1]
        ):
            return
        if all(_initial(t) for t in toks[:-1]) and toks[0] in self.lex:
            return  # 'US Navy'-like: a known acronym, not an initial
        full = " ".join(toks)
        known = self.lex.get(full)
        if known and known.actor_type != "person":
            return
        canon = known.canonical if known else full
        self.dynamic.setdefault(full, Entry(canon, "person", "person"))

    def _add_org(self, name: str, canonical: str | None = None, kind: str = "org") -> None:
        name = _strip_name(name)
        atype = _org_type(name)
        if atype is None or name in self.lex:
            return
        self.dynamic.setdefault(name, Entry(canonical or name, atype, kind))

    def _titled_person(self, text: str) -> bool:
        """Add 'Title Given Surname' found inside a model span; True when added."""
        toks = _strip_name(text).split()
        for i, t in enumerate(toks[:-2]):
            if t.lower().rstrip(".") in TITLE_WORDS:
                rest = toks[i + 1 :]
                while rest and rest[0].lower().rstrip(".") in TITLE_WORDS:
                    rest = rest[1:]
                if 2 <= len(rest) <= 4 and _name_like(rest[-1]) and all(
                    _name_like(r) or _initial(r) for r in rest[:-1]
                ):
                    before = len(self.dynamic)
                    self._add_person(" ".join(rest))
                    return len(self.dynamic) > before
        return False

    def _add_named_org(self, text: str, start: int, end: int, role_ok: bool = True) -> None:
        """Companies, media and bodies the model names without an organisation head word."""
        found = org_candidate(text, self.body[max(0, start - 3) : start], self.body[end : end + 3])
        if found is None:
            return
        name, atype = found
        if name in self.lex or name in self.dynamic or name.lower() in NOT_NAME:
            return
        if name in _subdivisions():
            return  # a province or state the model calls an organisation ('Vest-Agder')
        words = name.split()
        if _head_word(name) in NON_ACTOR_HEADS or any(w.lower() in TITLE_WORDS for w in words):
            return  # 'the Transport Corridor', 'Minister of Foreign Affairs', 'IRGC Rear'
        if words[0] in self.lex and atype not in ("company", "media"):
            return  # 'Syrian Civil War', 'Iranian Supreme': a state's adjective heads it
        if re.search(r"[A-Z]\w*-[A-Z]", name):
            return  # 'Rasht-Astara': a route between two places
        if len(words) == 1 and atype == "organization" and not role_ok:
            return  # a lone word or acronym counts when it acts: 'NDTV reported', 'Gazprom's'

        # A capitalised common word at a sentence start ('Markets fell') is not a name.
        if len(name.split()) == 1 and self._written_lower(name):
            return
        self.dynamic[name] = Entry(name, atype, "model_org")

    def propose(self) -> None:
        """Add the article's own people, organisations, acronyms and surnames to
        ``dynamic``, in that order (the first proposal of a surface form wins)."""
        self._propose_institutions()
        self._propose_title_runs()
        self._propose_acronyms()
        if self.doc is not None:
            self._propose_model_entities()
        self._propose_possessed_people()
        self._merge_person_spellings()
        self._propose_namesakes()
        self._merge_person_spellings()
        self._propose_surnames()
        self._propose_short_names()
        self._propose_list_members()
        self._propose_pair_members()
        self._propose_parties()
        self._propose_lone_surnames()
        self._propose_initialisms()

    def _propose_institutions(self) -> None:
        """State bodies named with their state ('Turkish central bank', 'Central Bank
        of Russia'), then the capitalised head alone ('the Central Bank') when the
        article names exactly one such body (:mod:`.institutions`)."""
        found, generic = scan_institutions(self.body, self.limit, _states())
        for inst in found:
            key = _norm(inst.surface)
            if key not in self.lex:
                self.dynamic.setdefault(key, Entry(inst.canonical, "organization", "institution"))
        for surface, head in generic.items():
            specific = {i.canonical for i in found if i.head == head}
            if len(specific) == 1 and surface not in self.lex:
                self.dynamic.setdefault(
                    surface, Entry(specific.pop(), "organization", "institution")
                )

    def _propose_title_runs(self) -> None:
        """Title runs: 'the Secretary of the State Council Igor Levitin' gives a person
        and the organisation between the title and the name."""
        for m in _RUN.finditer(self.body, 0, self.limit):
            words = [(w.start(), w.end()) for w in re.finditer(r"\S+", m.group(0))]
            toks = [m.group(0)[a:b] for a, b in words]
            if not any(t.lower().rstrip(".") in TITLE_WORDS for t in toks[:-1]):
                continue
            if (
                len(toks) >= 3
                and _name_like(toks[-1])
                and (_name_like(toks[-2]) or _initial(toks[-2]))
                and toks[-3].lower() not in {"and", "of", "for", "on", "the"}
                and toks[-2] not in self.lex
                and toks[-1] not in self.lex
            ):
                person = " ".join(toks[-2:])
                self._add_person(person)
                rest = toks[:-2]
            else:
                rest = toks
            # The organisation between the title and the name.
            for i, t in enumerate(rest):
                if t.lower() in {"of", "for"} and i + 1 < len(rest):
                    org = " ".join(rest[i + 1 :])
                    self._add_org(org)
                    break

    def _propose_acronyms(self) -> None:
        """Acronyms defined in the text: 'Libyan National Army (LNA)'."""
        for m in _ACRONYM_DEF.finditer(self.body, 0, self.limit):
            long, acr = _strip_name(m.group(1)), m.group(2)
            known = self._lookup(long) or self.lex.get(acr)
            if known:
                self.dynamic.setdefault(long, known)
                self.dynamic.setdefault(acr, Entry(known.canonical, known.actor_type, "acronym"))
                continue
            # Trim leading words until the name is org-shaped ('Turkish-backed Government ...').
            words = long.split()
            for i in range(len(words) - 1):
                cand = " ".join(words[i:])
                if _org_type(cand):
                    self._add_org(cand)
                    entry = self.dynamic.get(cand)
                    if entry:
                        self.dynamic.setdefault(
                            acr, Entry(entry.canonical, entry.actor_type, "acronym")
                        )
                    break
            else:
                # A name with no organisation head word ('Texas Instruments (TI)'): the
                # tail whose initials spell the acronym, if it is shaped like a name.
                for i in range(len(words) - 1):
                    cand = " ".join(words[i:])
                    if not initials_match(acr, cand):
                        continue
                    found = org_candidate(cand, " ", " ")
                    if (
                        found
                        and found[0] == cand
                        and cand not in self.lex
                        and _head_word(cand) not in NON_ACTOR_HEADS
                        and not any(w.lower() in NON_ACTOR_HEADS for w in cand.split())
                    ):
                        entry = self.dynamic.setdefault(cand, Entry(cand, found[1], "org"))
                        self.dynamic.setdefault(
                            acr, Entry(entry.canonical, entry.actor_type, "acronym")
                        )
                    break

    def _propose_model_entities(self) -> None:
        """The model's entities, filtered by :meth:`_add_person`, :meth:`_add_org` and
        :meth:`_add_named_org`; a person after a place preposition is a place ('in Jackson')."""
        for ent in self.doc.ents:
            if ent.start_char >= self.limit:
                break
            if ent.label_ == "PERSON":
                prev = self.doc[ent.start - 1].lower_ if ent.start > 0 else ""
                # 'in Jackson', 'sent to Port Roe' are places; 'homage to Jane Roe',
                # 'according to Jane Roe' are people: a 'to' that does not follow a
                # verb of motion introduces a person of two words or more.
                if prev in PLACE_PREPS and not (
                    prev == "to"
                    and len(ent) > 1
                    and not MOTION.fullmatch(self.doc[ent.start - 1].head.lower_)
                ):
                    continue
                if "\n" in ent.text:
                    continue
                start = extend_left(ent, lambda w: _name_like(w) and w not in self.lex)
                self._add_person(self.body[start : ent.end_char])
                if len(ent) == 1 and _acts(ent) and _name_like(ent.text):
                    self._lone.add(ent.text)
                if re.fullmatch(r"[A-Z][a-z]+[A-Z]\w+", ent.text):  # 'QatarEnergy': a company
                    self._add_named_org(ent.text, ent.start_char, ent.end_char)
            elif ent.label_ == "ORG":
                text = ent.text
                if len(ent) == 1 and _name_like(text):
                    self._lone_orgs.add(text)
                # Cut a trailing person name the model glued to the org.
                for name in [k for k, v in self.dynamic.items() if v.kind == "person"]:
                    if text.endswith(name):
                        text = text[: -len(name)]
                if not self._titled_person(ent.text):
                    self._add_org(text)
                    self._add_named_org(text, ent.start_char, ent.end_char, _acts(ent))
            elif ent.label_ in ("FAC", "WORK_OF_ART", "GPE", "NORP", "LOC"):
                # 'Danish PM Jane Roe' tagged as a work of art or a place.
                self._titled_person(ent.text)
                if ent.label_ == "GPE" and len(ent) == 1:
                    country = fuzzy_country(ent.text, self.lex)
                    if country:
                        self.dynamic.setdefault(ent.text, Entry(country, "country", "name"))

    def _propose_surnames(self) -> None:
        """Surnames of the people seen in full, when unambiguous."""
        surnames: dict[str, set[str]] = {}
        for surface, e in list(self.dynamic.items()):
            if e.actor_type == "person":
                last = surface.split()[-1]
                last = re.sub(r"(?i)^(?:al|el|bin|ibn|abu)-", "", last)
                surnames.setdefault(last, set()).add(e.canonical)
                full_last = surface.split()[-1]
                if full_last != last:
                    surnames.setdefault(full_last, set()).add(e.canonical)
        for last, canons in surnames.items():
            if len(canons) == 1 and last not in self.lex and last.lower() not in NOT_NAME:
                # The model calls a lone surname an organisation at times ('Kishida said'):
                # a person seen in full in the article decides.
                if getattr(self.dynamic.get(last), "kind", None) == "model_org":
                    del self.dynamic[last]
                self.dynamic.setdefault(last, Entry(next(iter(canons)), "person", "surname"))

    def _people(self) -> dict[str, Entry]:
        return {k: e for k, e in self.dynamic.items() if e.kind == "person"}

    def _merge_person_spellings(self) -> None:
        """'Ahmed Tinubu' and 'Tinubu Bola Ahmed' next to 'Bola Ahmed Tinubu': one person
        (the alias table's people count when the article writes them)."""
        people = {**self._table_people_here, **self._people()}
        for short, full in same_person_longer(list(people)).items():
            if short in self.dynamic:
                self.dynamic[short] = Entry(people[full].canonical, "person", "person")

    def _propose_namesakes(self) -> None:
        """A given name before a known person's surname is another person of that
        family ('Boris Rotenberg' seen, then 'Igor Rotenberg'), even when the model
        tagged nothing there; the surname alone then stays ambiguous."""
        known_words: dict[str, set[str]] = {}
        for k in self._people():
            known_words.setdefault(k.split()[-1], set()).update(k.split()[:-1])
        for last, words in known_words.items():
            if last in self.lex or last.lower() in NOT_NAME:
                continue
            for m in re.finditer(rf"\b([A-Z][a-zà-ÿ'’]+) {re.escape(last)}\b", self.body[: self.limit]):
                given = m.group(1)
                if m.start() and self.body[m.start() - 1] in "-‐'’.":
                    continue  # part of a hyphenated or dotted name ('Kassym-Jomart')
                if given in words:
                    continue  # a middle name of the known person ('Saad Sherida Al-Kaabi')
                if given.lower() in NOT_NAME or given in self.lex or given.lower() in TITLE_WORDS:
                    continue
                if self._written_lower(given):
                    continue  # a common word capitalised at a sentence start
                self._add_person(m.group(0))

    def _propose_lone_surnames(self) -> None:
        """A single name the model tags as a person and that acts ('Borrell stressed'),
        with no full name in the article: a person known by the surname alone."""
        # Sorted: 'Trump' is decided before 'Trumps', so the family rule below does not
        # depend on the order of a set (which changes with the hash seed).
        for name in sorted(self._lone):
            if name in self.lex or name in self.dynamic or name.lower() in NOT_NAME:
                continue
            if name.endswith("s") and (name[:-1] in self.lex or name[:-1] in self.dynamic):
                continue  # 'the Trumps': a family, not one person
            if self._written_lower(name):
                continue
            # The alias table's one person with this family name, written first or last
            # ('President Xi' -> 'Xi Jinping', 'Kowalski' -> 'Jan Kowalski').
            known = _table_family_names().get(name, frozenset())
            canon = next(iter(known)) if len(known) == 1 else name
            self.dynamic[name] = Entry(canon, "person", "surname")

    def _propose_initialisms(self) -> None:
        """An acronym the article never defines but whose letters are the initials of
        exactly one organisation it names ('Texas Instruments' ... 'TI')."""
        orgs = {
            e.canonical
            for k, e in self.dynamic.items()
            if e.actor_type in ("company", "organization", "media", "armed_group")
            and e.kind != "acronym"
            and " " in k
        }
        for m in re.finditer(r"\b[A-Z]{2,6}\b", self.body[: self.limit]):
            acr = m.group(0)
            if acr in self.lex or getattr(self.dynamic.get(acr), "kind", "model_org") != "model_org":
                continue
            hits = {o for o in orgs if initials_match(acr, o)}
            if len(hits) == 1:
                entry = next(e for e in self.dynamic.values() if e.canonical in hits)
                self.dynamic[acr] = Entry(entry.canonical, entry.actor_type, "acronym")

    def _propose_possessed_people(self) -> None:
        """"the Acme Party's Jane Roe", "Norway's Jane Roe": two or three names after a
        known actor's possessive are a person, unless the model calls them an
        organisation ('Acme's Blue Cloud')."""
        if self.doc is None:
            return
        for m in _OWNER.finditer(self.body, 0, self.limit):
            owned = m.group(2).strip()
            entry = self._lookup(owned) or self._lookup(owned.split()[0])
            if entry is None or entry.actor_type not in ("organization", "company"):
                continue
            last = self.doc.char_span(m.end(1) - 1, m.end(1), alignment_mode="expand")
            if last is None or last[-1].ent_type_ == "ORG":
                continue
            self._add_person(m.group(1))
        for m in _POSSESSED.finditer(self.body, 0, self.limit):
            owner = self._lookup(m.group(1))
            if owner is None or owner.actor_type == "person":
                continue
            span = self.doc.char_span(m.start(2), m.end(2), alignment_mode="expand")
            if span is None or any(t.ent_type_ == "ORG" for t in span):
                continue
            self._add_person(m.group(2))

    def _propose_list_members(self) -> None:
        """Unknown names in a list of organisations the article knows (:mod:`.lists`)."""
        org_types = ("company", "organization", "media")
        for items in list_items(self.body, self.limit):
            known = [self._lookup(_norm(i)) for i in items]
            types = [e.actor_type for e in known if e is not None]
            if sum(t in org_types for t in types) < 2 or any(t not in org_types for t in types):
                continue
            atype = max(sorted(set(types)), key=types.count)  # sorted: the same on every worker
            for item in items:
                self._add_partner(item, atype, item.split()[:1])

    def _propose_pair_members(self) -> None:
        """'Acme Corp and Norway's Blue Cloud': the unknown partner of a known company."""
        if self.doc is None:
            return
        for one, other in pairs(self.body, self.limit):
            for (known, _, _), (name, a, b) in ((one, other), (other, one)):
                entry = self._lookup(_norm(known))
                if entry is None or entry.actor_type not in ("company", "organization", "media"):
                    continue
                span = self.doc.char_span(a, b, alignment_mode="expand")
                if span is None or any(
                    t.ent_type_ in ("PERSON", "GPE", "LOC", "NORP", "DATE") for t in span
                ):
                    continue
                self._add_partner(name, entry.actor_type, name.split())

    def _add_partner(self, name: str, atype: str, words: list[str]) -> None:
        """An unknown name standing with known organisations (in a list, in a pair) is
        one of type ``atype``, unless it is a common word or one of ``words`` is known
        or not a name."""
        if self._lookup(_norm(name)) is not None or name.lower() in NOT_NAME:
            return
        if any(w in self.lex or w.lower() in NOT_NAME for w in words):
            return
        if self._written_lower(name):
            return  # a common word
        self.dynamic[_norm(name)] = Entry(_norm(name), atype, "org")

    def _propose_parties(self) -> None:
        """'the Labour party', 'the UNITY bloc', 'the Labor government', "the Prime
        Minister's Office" (:mod:`.lists`)."""
        for surface, name, head in lower_case_parties(self.body, self.limit):
            words = surface.split()[:-1]
            known = self._lookup(_norm(" ".join(words)))
            if known is not None:
                if head != "party" and known.actor_type in ("organization", "alliance"):
                    self.dynamic.setdefault(_norm(surface), known)  # 'the BRICS bloc'
                continue
            if words[0] in self.lex or any(w.lower() in NOT_NAME for w in words):
                continue
            if _norm(surface) in self.lex or self._written_lower(words[0]):
                continue  # 'Ruling party' at a sentence start: a common word
            entry = self._lookup(name) or Entry(name, "organization", "org")
            self.dynamic.setdefault(_norm(surface), entry)
        for surface in offices(self.body, self.limit):
            self.dynamic.setdefault(_norm(surface), Entry(_norm(surface), "organization", "org"))
        if self.doc is None:
            return
        for word, a, b in government_parties(self.body, self.limit):
            if word in self.lex or word in self.dynamic or word.lower() in NOT_NAME:
                continue
            span = self.doc.char_span(a, b)
            if span is None or span[0].ent_type_ != "ORG":
                continue  # 'the Obama government' is a person's; the model says which
            if self._written_lower(word):
                continue
            self.dynamic[word] = Entry(f"{word} Party", "organization", "org")

    def _propose_short_names(self) -> None:
        """A one-word organisation that is the first word of exactly one longer
        organisation the article names ('Acme' after 'Acme Holdings')."""
        longer: dict[str, set[str]] = {}
        for k, e in self.dynamic.items():
            if " " in k and e.kind in ("org", "model_org") and e.actor_type != "armed_group":
                longer.setdefault(k.split()[0], set()).add(e.canonical)
        singles = self._lone_orgs | self._lone | {k for k, e in self.dynamic.items()
                                     if " " not in k and e.kind == "model_org"}
        for w in sorted(singles):  # a defined order: the entries added stay the same per run
            canons = longer.get(w, set())
            if len(canons) != 1 or w in self.lex or w.lower() in NOT_NAME:
                continue
            if getattr(self.dynamic.get(w), "kind", "model_org") != "model_org":
                continue
            canon = canons.pop()
            entry = next(e for e in self.dynamic.values() if e.canonical == canon)
            self.dynamic[w] = Entry(canon, entry.actor_type, "short")

    def _state_inside(self, toks: list[tuple[int, int]]) -> list[Found]:
        """'Turkish central bank' also names Turkey: the state's words in front of an
        institution are a mention of the state too (the spans overlap)."""
        for k in range(len(toks) - 1, 0, -1):
            s, end = toks[0][0], toks[k - 1][1]
            entry = self.lex.get(_norm(self.body[s:end]))
            if entry is not None and entry.actor_type == "country":
                return [Found(s, end, self.body[s:end], entry)]
        return []

    def scan(self) -> list[Found]:
        body, lim = self.body, self.limit
        toks = _tokens(body, 0, lim)
        out: list[Found] = []
        i = 0
        n = len(toks)
        while i < n:
            s, e = toks[i]
            if not body[s].isupper():
                i += 1
                continue
            hit = None
            for k in range(min(MAX_NGRAM, n - i), 0, -1):
                end = toks[i + k - 1][1]
                seg = body[s:end]
                if "\n" in seg:
                    continue
                entry = self._lookup(_norm(seg))
                if entry is not None:
                    hit = (k, end, entry)
                    break
            if hit is None:
                i += 1
                continue
            k, end, entry = hit
            if entry.kind == "institution":
                out.extend(self._state_inside(toks[i : i + k]))
            out.append(Found(s, end, body[s:end], entry))
            i += k
        return out


def find_actors(body: str, doc, limit: int | None = None) -> list[Found]:
    """All actor mentions in ``body[:limit]``; ``doc`` is the spaCy Doc (or None)."""
    lim = len(body) if limit is None else limit
    art = _ArticleActors(body, doc, lim)
    art.propose()
    return art.scan()
