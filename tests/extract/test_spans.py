import datetime as dt
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

TEXT = (
    "Since August 2022, Tehran has supplied Moscow with more than 1,700 UAVs, U.S. officials say.\n\n"
    "In July 2022, Russia and Iran signed an energy deal worth $40 billion. "
    "President Vladimir Putin met Iranian President Ebrahim Raisi in Tehran on July 19, 2022.\n\n"
    "Is this an alliance? Raisi called it “strategic”.\n\n"
    "Furthermore, the Kremlin is unlikely to offer full military aid to Iran in the"
)


def _check(body, x):
    for c in x.claims:
        assert body[c.char_start : c.char_end] == c.text
    for m in (*x.actor_mentions, *x.figure_mentions, *x.event_mentions):
        assert body[m.char_start : m.char_end] == m.surface_text
        assert 0 <= m.claim_index < len(x.claims)
        c = x.claims[m.claim_index]
        assert c.char_start <= m.char_start and m.char_end <= c.char_end


def test_every_span_indexes_the_body(extract):
    x = extract(TEXT, published_date=dt.date(2023, 1, 5))
    assert x.figure_mentions and x.event_mentions and x.actor_mentions
    _check(TEXT, x)


def test_nothing_is_extracted_after_truncated_from(extract):
    cut = TEXT.index("Furthermore")
    x = extract(TEXT, truncated_from=cut)
    assert all(c.char_end <= cut for c in x.claims)
    assert all(
        m.char_end <= cut for m in (*x.actor_mentions, *x.figure_mentions, *x.event_mentions)
    )
    _check(TEXT, x)


def test_span_invariant_holds_on_the_sample_articles(extract):
    for p in sorted((ROOT / "raw").glob("*.txt")):
        body = "\n\n".join(
            ln.strip() for ln in p.read_text(encoding="utf-8").splitlines() if ln.strip()
        )
        _check(body, extract(body))


def test_empty_body_gives_empty_extraction(extract):
    x = extract("")
    assert x.claims == () and x.actor_mentions == ()
