"""Cross-article actor names (issue 12): spelling variants of one actor merge,
different people never do, and the landing table follows every run.

Names here are made up or generic; none is copied from the development pages.
"""

from __future__ import annotations

import duckdb

from dagster_project.lib.extract.actor_names import Name, refresh_actor_names, resolve, skeleton
from dagster_project.lib.warehouse import ensure_schema


def _merged(names):
    return {a: b for a, b in resolve([Name(*n) for n in names]).items() if a != b}


def test_transliterations_of_a_person_merge():
    assert skeleton("mohammed") == skeleton("muhammad")
    assert _merged([("Mohammed Nasser", "person", 3), ("Muhammad Nasser", "person", 1)]) == {
        "Muhammad Nasser": "Mohammed Nasser"
    }
    assert _merged([("Oleksandr Zelenskyy", "person", 1), ("Oleksandr Zelensky", "person", 2)]) == {
        "Oleksandr Zelenskyy": "Oleksandr Zelensky"
    }


def test_different_people_never_merge():
    names = [
        ("Anna Kowalczyk", "person", 2), ("Piotr Kowalczyk", "person", 2),
        ("Ali Haddad", "person", 1), ("Ala Haddad", "person", 1),
        ("Kowalczyk", "person", 1),
    ]
    assert _merged(names) == {}  # the lone surname fits two people: left alone


def test_accents_order_short_forms_and_family_name_first():
    merged = _merged([
        ("Zoltán Kovács", "person", 4), ("Zoltan Kovacs", "person", 1),
        ("Kovacs Zoltan", "person", 1), ("Kovács", "person", 2),
        ("Jan Maria Nowak", "person", 2), ("Jan Nowak", "person", 1),
        ("Wen Dalin", "person", 3), ("Wen", "person", 1),
    ])
    assert merged == {
        "Zoltan Kovacs": "Zoltán Kovács", "Kovacs Zoltan": "Zoltán Kovács",
        "Kovács": "Zoltán Kovács", "Jan Nowak": "Jan Maria Nowak", "Wen": "Wen Dalin",
    }


def test_organisation_spellings_merge_but_different_bodies_do_not():
    merged = _merged([
        ("Northwind Defense Systems", "company", 2), ("Northwind Defence Systems", "company", 1),
        ("National Bank of Moldova", "organization", 1), ("National Bank of Mongolia", "organization", 1),
    ])
    assert merged == {"Northwind Defence Systems": "Northwind Defense Systems"}


def test_the_landing_table_follows_the_names_of_every_run(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_schema(con)

    def mention(article, i, name):
        con.execute(
            "insert into raw.actor_mentions values (?, ?, 0, 0, 1, ?, ?, 'person')",
            [article, i, name, name],
        )

    mention("a", 0, "Kovacs")
    mention("a", 1, "Zoltan Kovacs")
    refresh_actor_names(con)
    assert dict(con.execute("select * from raw.actor_names").fetchall())["Kovacs"] == "Zoltan Kovacs"
    # A new article with a fuller, more frequent spelling renames the actor everywhere.
    for i in range(3):
        mention("b", i, "Zoltán Kovács")
    refresh_actor_names(con)
    names = dict(con.execute("select * from raw.actor_names").fetchall())
    assert names == {"Kovacs": "Zoltán Kovács", "Zoltan Kovacs": "Zoltán Kovács", "Zoltán Kovács": "Zoltán Kovács"}
    # Removing that article's rows brings the earlier name back.
    con.execute("delete from raw.actor_mentions where article_id = 'b'")
    refresh_actor_names(con)
    assert dict(con.execute("select * from raw.actor_names").fetchall())["Kovacs"] == "Zoltan Kovacs"


def test_unchanged_names_are_not_resolved_again(tmp_path, monkeypatch):
    import dagster_project.lib.extract.actor_names as module

    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_schema(con)
    con.execute("insert into raw.actor_mentions values ('a', 0, 0, 0, 1, 'Kovacs', 'Kovacs', 'person')")
    con.execute("insert into raw.actor_mentions values "
                "('a', 1, 0, 0, 1, 'Zoltan Kovacs', 'Zoltan Kovacs', 'person')")
    calls = []
    real = module.resolve
    monkeypatch.setattr(module, "resolve", lambda names: calls.append(1) or real(names))
    assert "skipped" not in refresh_actor_names(con)
    assert refresh_actor_names(con)["skipped"] == 1
    assert len(calls) == 1
    assert dict(con.execute("select * from raw.actor_names").fetchall())["Kovacs"] == "Zoltan Kovacs"
    # A changed count is a change: resolved again.
    con.execute("insert into raw.actor_mentions values ('b', 0, 0, 0, 1, 'Kovacs', 'Kovacs', 'person')")
    assert "skipped" not in refresh_actor_names(con)
    assert len(calls) == 2
