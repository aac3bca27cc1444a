from dagster_project.lib.extract.actors import static_lexicon


def _actors(x):
    return {(m.surface_text, m.canonical_name) for m in x.actor_mentions}


def test_capitals_resolve_to_their_country(extract):
    a = _actors(extract("Relations between Ankara and Damascus thawed after the earthquake."))
    assert a == {("Ankara", "Turkey"), ("Damascus", "Syria")}


def test_metonyms_resolve_to_the_state(extract):
    a = _actors(extract("The Kremlin welcomed the offer, but the Islamic Republic stayed silent."))
    assert a == {("Kremlin", "Russia"), ("Islamic Republic", "Iran")}


def test_demonym_standing_for_the_state(extract):
    a = _actors(extract("Iranian officials denied that Syrian troops had crossed the border."))
    assert ("Iranian", "Iran") in a and ("Syrian", "Syria") in a


def test_pycountry_official_names_resolve_to_short_canonical(extract):
    a = _actors(extract("The Russian Federation and the Syrian Arab Republic renewed the lease."))
    assert {c for _, c in a} == {"Russia", "Syria"}


def test_surname_resolves_to_full_name_seen_in_article(extract):
    x = extract(
        "Kazakh President Kassym-Jomart Tokayev hosted the summit. "
        "Tokayev later called for a ceasefire."
    )
    people = {
        (m.surface_text, m.canonical_name) for m in x.actor_mentions if m.actor_type == "person"
    }
    assert people == {
        ("Kassym-Jomart Tokayev", "Kassym-Jomart Tokayev"),
        ("Tokayev", "Kassym-Jomart Tokayev"),
    }


def test_title_forms_resolve_to_one_person(extract):
    x = extract("President Vladimir Putin arrived on Monday. Putin then met the press.")
    assert {m.canonical_name for m in x.actor_mentions if m.actor_type == "person"} == {
        "Vladimir Putin"
    }


def test_acronym_and_long_name_are_one_actor(extract):
    x = extract(
        "Armenia froze its participation in the Collective Security Treaty Organization. "
        "The CSTO did not respond."
    )
    orgs = {
        (m.surface_text, m.canonical_name) for m in x.actor_mentions if m.actor_type == "alliance"
    }
    assert orgs == {
        ("Collective Security Treaty Organization", "Collective Security Treaty Organization"),
        ("CSTO", "Collective Security Treaty Organization"),
    }


def test_acronym_defined_in_text_becomes_an_organisation(extract):
    x = extract("The Sudanese Armed Forces (SAF) shelled the city. The SAF denied it.")
    names = [
        m.canonical_name
        for m in x.actor_mentions
        if m.surface_text in ("SAF", "Sudanese Armed Forces")
    ]
    assert names and set(names) == {"Sudanese Armed Forces"}


def test_model_proposals_are_filtered(extract):
    x = extract("Iran supplied UAVs to Russia, and the drones were assembled in Yelabuga.")
    assert {m.canonical_name for m in x.actor_mentions} == {"Iran", "Russia"}


def test_alias_table_is_a_data_file():
    lex = static_lexicon()
    assert lex["Tehran"].canonical == "Iran"
    assert lex["Washington"].canonical == "United States"
    assert lex["CSTO"].actor_type == "alliance"


def test_motion_verbs_are_whole_words_not_prefixes():
    """'to X' after a verb of motion is a place; after any other word ('homage to',
    'a movie to', 'the government to') a person of two words stays a person."""
    from dagster_project.lib.extract.actors import MOTION

    for word in ("moved", "sent", "headed", "flew", "travelling", "delivery", "visit"):
        assert MOTION.fullmatch(word), word
    for word in ("movie", "sentence", "headline", "boundary", "government", "goal", "routine"):
        assert not MOTION.fullmatch(word), word
