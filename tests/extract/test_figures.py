def one_figure(x, unit=None):
    figs = [f for f in x.figure_mentions if unit is None or f.unit == unit]
    assert len(figs) == 1, [(f.surface_text, f.value, f.unit) for f in x.figure_mentions]
    return figs[0]


def test_currency_with_scale_word_is_normalised_to_usd(extract):
    x = extract("Beijing agreed to lend Caracas $12.5 billion over the next decade.")
    f = one_figure(x)
    assert (f.value, f.unit, f.qualifier) == (12_500_000_000, "USD", "exact")


def test_currency_word_after_number_gives_iso_code(extract):
    f = one_figure(extract("The ministry said the bridge would cost 300 million euros to rebuild."))
    assert (f.value, f.unit) == (300_000_000, "EUR")


def test_every_currency_code_read_before_an_amount_can_be_the_articles_currency(extract):
    from dagster_project.lib.extract.figure_vocab import CURRENCIES, CURRENCY_CODES

    assert set(CURRENCY_CODES) <= CURRENCIES
    x = extract("The Swiss lender Acme Bank paid CHF 300 million in fines last year. "
                "Its smaller rival paid a further 200 million.")
    assert [(f.value, f.unit) for f in x.figure_mentions] == [(3e8, "CHF"), (2e8, "CHF")]


def test_a_range_may_repeat_any_currency_before_its_second_number(extract):
    for text, unit in (("Analysts valued the port at HK$4-HK$6 billion.", "HKD"),
                       ("Analysts valued the mine at USD 4-USD 6 billion.", "USD"),
                       ("Analysts valued the field at €4-€6 billion.", "EUR")):
        f = one_figure(extract(text))
        assert (f.value, f.value_high, f.unit) == (4e9, 6e9, unit), text


def test_percent_sign_and_word_are_percent(extract):
    a = one_figure(extract("Exports to Turkey fell by 12% last quarter, officials said."))
    b = one_figure(extract("Inflation reached 43.5 percent in the capital, the central bank said."))
    assert (a.value, a.unit) == (12, "percent")
    assert (b.value, b.unit) == (43.5, "percent")


def test_range_gives_value_high_and_unit(extract):
    f = one_figure(
        extract("The new drones can strike targets 1,200-2,000 km away from their launch site.")
    )
    assert (f.value, f.value_high, f.unit) == (1200, 2000, "km")


def test_counted_noun_is_singular_and_keeps_compounds(extract):
    f = one_figure(extract("Kyiv said it had received 45,000 artillery shells from its partners."))
    assert (f.value, f.unit) == (45000, "artillery shell")
    g = one_figure(extract("Pyongyang shipped 2,000 containers to Russian ports this spring."))
    assert (g.value, g.unit) == (2000, "container")


def test_qualifiers_map_to_fixed_vocabulary(extract):
    cases = {
        "Officials said over 500 tanks were lost in the offensive.": "more_than",
        "The army deployed more than 500 tanks to the border.": "more_than",
        "Rebels seized some 500 tanks from the depots.": "about",
        "Satellite images show nearly 500 tanks near the river.": "about",
        "The factory can build at least 500 tanks a year.": "at_least",
        "The deal covers up to 500 tanks over five years.": "up_to",
        "Analysts say as many as 500 tanks were destroyed.": "as_much_as",
        "The brigade has fewer than 500 tanks left.": "less_than",
    }
    for sentence, qual in cases.items():
        f = one_figure(extract(sentence), "tank")
        assert (f.value, f.qualifier) == (500, qual), sentence
        assert f.surface_text.endswith("500 tanks")


def test_word_numbers_and_repeats_count(extract):
    x = extract("The two monarchies fought four wars in the eighteenth century.")
    assert [(f.value, f.unit) for f in x.figure_mentions] == [(4, "war")]
    y = extract("Since January, Erdogan has met Aliyev twice in Baku.")
    assert [(f.value, f.unit) for f in y.figure_mentions] == [(2, "meeting")]
    z = extract("Bilateral trade nearly tripled between 2015 and 2021, customs data show.")
    f = one_figure(z)
    assert (f.value, f.unit, f.qualifier) == (3, "multiplier", "about")


def test_model_numbers_years_and_dates_are_not_figures(extract):
    x = extract(
        "Egypt ordered Su-35 jets and MiG-29 fighters in 2019, and Iran unveiled the "
        "Shahed-136 and its S400 rival on March 3, 2021."
    )
    assert x.figure_mentions == ()


def test_anaphoric_counts_and_ages_are_not_figures(extract):
    x = extract("The two countries signed the deal, and a 45-year-old diplomat negotiated it.")
    assert x.figure_mentions == ()


def test_treaty_term_is_a_duration_in_years(extract):
    f = one_figure(extract("Ankara and Baku are negotiating a 25-year defence agreement."))
    assert (f.value, f.unit) == (25, "year")


def test_figure_carries_period_and_canonical_actors(extract):
    f = one_figure(extract("Since March 2023, Tehran has sold more than 900 drones to Moscow."))
    assert f.period_text == "since March 2023"
    assert set(f.actor_names) == {"Iran", "Russia"}
    assert f.unit == "drone" and f.qualifier == "more_than"


def test_a_date_is_the_period_of_the_nearest_figure_not_of_an_earlier_one(extract):
    x = extract(
        "Today, trade between Chile and Peru amounts to $3 billion, and during the fiscal "
        "year 2021–2022, Chile invested $1.2 billion in Peru, officials said."
    )
    by_value = {f.value: f for f in x.figure_mentions}
    trade, investment = by_value[3_000_000_000], by_value[1_200_000_000]
    assert "2021" not in (trade.period_text or "")
    assert "2021" in (investment.period_text or "")
