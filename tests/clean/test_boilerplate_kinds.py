"""One small, realistic page per kind of boilerplate (written for these tests)."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

from dagster_project.lib.clean import clean_document
from dagster_project.lib.records import REMOVAL_REASONS

BODY = [
    "The city council of Riverton approved on Tuesday a plan to replace the lead pipes that still "
    "carry drinking water to about 4,000 homes in the older districts of the town.",
    "The project, which will cost an estimated $48 million over six years, is to be financed by a "
    "federal grant and by a small increase in water rates that the council said would be phased in.",
    "Residents who spoke at the meeting welcomed the decision but asked that the work start in the "
    "neighbourhoods where tests had found the highest levels of lead in tap water last year.",
    "The mayor, Ana Ruiz, said that the first contracts would be signed before the end of the "
    "summer and that every household would receive a letter explaining when its street is due.",
    "Critics on the council argued that the plan was too slow and that the town should borrow "
    "money to finish the replacement in three years instead of six, as neighbouring towns have done.",
]


def page(*parts: str) -> str:
    return "\n".join(parts) + "\n"


def paragraphs(article) -> list[str]:
    return [p for p in article.body_text.split("\n\n") if p]


def reasons_of(article, text_start: str) -> set[str]:
    return {b.reason for b in article.removed_blocks if b.text.startswith(text_start)}


def assert_body_intact(article, body=BODY):
    paras = paragraphs(article)
    for para in body:
        assert para in paras, para[:60]


def test_recent_posts_list_with_teasers_and_dates_is_removed():
    raw = page(
        "Riverton approves $48 million plan to replace lead pipes", *BODY,
        "Recent Posts",
        "Farmers Market Returns to Main Street for the Summer Season",
        "The weekly farmers market is coming back to Main Street on Saturdays from June, with more "
        "than forty local stalls… Read More",
        "March 3, 2026",
        "Ten Things to Do in Riverton This Weekend",
        "From the jazz festival in the park to the new exhibition at the town museum, here is our "
        "pick of… Read More",
        "March 2, 2026",
    )
    art = clean_document(raw, "text")
    assert_body_intact(art)
    assert "farmers market" not in art.body_text.lower()
    assert "jazz festival" not in art.body_text
    assert reasons_of(art, "Recent Posts") == {"recent_posts"}
    assert reasons_of(art, "March 3, 2026")
    # The list's dates are not the article's publication date.
    assert art.published_date is None


def test_cookie_notice_is_removed():
    raw = page(*BODY, "We use cookies to improve your experience on our website. By continuing to "
               "browse, you agree to our use of cookies.", "Accept", "Cookie settings")
    art = clean_document(raw, "text")
    assert_body_intact(art)
    assert "cookies" not in art.body_text
    assert reasons_of(art, "We use cookies") == {"cookie_notice"}


def test_related_headlines_including_repeated_ones_are_removed():
    raw = page(
        *BODY,
        "Lead pipes found in schools across the state - The Daily Courier",
        "Lead pipes found in schools across the state - The Daily Courier",
        "Water rates to rise in three counties next year - The Daily Courier",
        "Water rates to rise in three counties next year - The Daily Courier",
        "How one town replaced all of its pipes in three years - The Daily",
    )
    art = clean_document(raw, "text")
    assert_body_intact(art)
    assert "Daily Courier" not in art.body_text
    assert paragraphs(art)[-1] == BODY[-1]


def test_table_of_contents_line_is_removed_and_section_headings_kept():
    raw = page(
        "Why Riverton is replacing its water pipes",
        BODY[0], BODY[1],
        "Table of Contents",
        "What the plan covers",
        BODY[2], BODY[3],
        "What the critics say",
        BODY[4],
    )
    art = clean_document(raw, "text")
    assert_body_intact(art)
    assert reasons_of(art, "Table of Contents") == {"table_of_contents"}
    assert "What the plan covers" in paragraphs(art)
    assert "What the critics say" in paragraphs(art)
    assert art.title == "Why Riverton is replacing its water pipes"


def test_photo_credit_is_removed():
    raw = page(*BODY[:3], "[Photo by Jane Smith, via Wikimedia Commons]", *BODY[3:])
    art = clean_document(raw, "text")
    assert_body_intact(art)
    assert reasons_of(art, "[Photo by Jane Smith") == {"photo_credit"}


def test_site_name_and_blurb_after_the_article_are_removed():
    raw = page(
        *BODY,
        "Riverton Today",
        "Riverton Today is an independent news website covering the town and its region. We bring you "
        "the stories that matter to our readers every day.",
        "Recent Posts",
        "Council meeting moved to Thursday",
    )
    art = clean_document(raw, "text")
    assert_body_intact(art)
    assert paragraphs(art)[-1] == BODY[-1]
    assert reasons_of(art, "Riverton Today is an independent") == {"site_blurb"}
    assert art.site_name == "Riverton Today"


def test_social_share_block_is_removed():
    raw = page(*BODY, "Share this article", "Facebook", "Twitter", "LinkedIn", "Email", "Print",
               "Follow us on")
    art = clean_document(raw, "text")
    assert_body_intact(art)
    assert paragraphs(art) == BODY
    assert reasons_of(art, "Facebook") == {"social"}


FAKE_PROFILE = [
    "Detail Author:",
    "  • Name : Prof. Kurtis Wehner II",
    "  • Username : kwehner",
    "  • Email : ebba.stroman@example.org",
    "  • Birthdate : 1990-01-12",
    "  • Address : 8801 Lowe Court Suite 514 Port Nelle, OK 30422",
    "  • Phone : +1 (301) 555-0199",
    "  • Company : Hartmann, Kuhn and Pollich",
    "  • Job : Loan Officer",
    "  • Bio : Sit quia voluptatem et qui. Dolorem nesciunt aut quasi qui rerum.",
    "Socials",
    "instagram:",
    "  • url : https://instagram.com/kwehner",
    "  • username : kwehner",
    "  • bio : Voluptas aut et ut officia sit.",
    "  • followers : 1204",
    "  • following : 310",
    "tiktok:",
]


def test_fake_author_profile_is_removed_with_its_socials():
    raw = page("Riverton approves $48 million plan to replace lead pipes", *BODY, *FAKE_PROFILE)
    art = clean_document(raw, "text")
    assert_body_intact(art)
    assert art.author is None
    assert "Wehner" not in art.body_text and "kwehner" not in art.body_text
    profile_texts = {b.text for b in art.removed_blocks if b.reason == "fake_author_profile"}
    for line in FAKE_PROFILE:
        assert line.strip() in profile_texts, line


def test_repeated_paragraphs_keep_only_the_first_copy():
    raw = page(*BODY, BODY[3], BODY[4])
    art = clean_document(raw, "text")
    paras = paragraphs(art)
    assert paras == BODY
    dups = [b for b in art.removed_blocks if b.reason == "duplicate_paragraph"]
    assert [b.text for b in dups] == [BODY[3], BODY[4]]
    # Spans point at the second copies in the raw text.
    assert dups[0].raw_start == raw.rindex(BODY[3])


def test_truncated_ending_is_kept_and_marked():
    cut = "A second vote on the financing is expected in the autumn, when the council will also"
    raw = page(*BODY[:4], BODY[4] + " " + cut, "Related posts", "Council meeting moved to Thursday")
    art = clean_document(raw, "text")
    assert art.body_text.endswith(cut)
    assert art.truncated_from is not None
    assert art.body_text[art.truncated_from:] == cut


def test_complete_ending_is_not_marked_truncated():
    art = clean_document(page(*BODY), "text")
    assert art.truncated_from is None


def test_real_author_bio_gives_the_author_and_is_removed():
    bio = ("Maria Okafor is a professor of environmental engineering at the State University and a "
           "member of the regional water board.")
    raw = page(*BODY, bio, "Water rates to rise in three counties next year",
               "The state utility commission approved new water rates on Monday for three counties...")
    art = clean_document(raw, "text")
    assert_body_intact(art)
    assert art.author == "Maria Okafor"
    assert reasons_of(art, "Maria Okafor is a professor") == {"author_bio"}
    assert "utility commission" not in art.body_text


def test_near_duplicate_second_bio_is_still_author_bio():
    bio1 = ("Maria Okafor is a professor of environmental engineering at the State University and a "
            "nonresident fellow of the Water Institute.")
    bio2 = bio1.replace("nonresident", "non-resident")
    raw = page(*BODY, bio1, BODY[3], bio2)
    art = clean_document(raw, "text")
    assert reasons_of(art, bio2[:40]) == {"author_bio"}
    assert paragraphs(art) == BODY


def test_header_gives_title_byline_and_date():
    raw = page("Main", "News", "Sports", "Riverton approves $48 million plan to replace lead pipes",
               "By Tom Becker", "June 4, 2025", *BODY, "© 2025 Riverton Today. All rights reserved.")
    art = clean_document(raw, "text")
    assert art.title == "Riverton approves $48 million plan to replace lead pipes"
    assert art.author == "Tom Becker"
    assert art.published_date == dt.date(2025, 6, 4)
    assert paragraphs(art) == BODY
    assert reasons_of(art, "© 2025") == {"footer"}


def test_navigation_menu_before_the_article_is_removed():
    raw = page("Home", "Politics", "Business", "Sport", "Culture", "Subscribe", "Log in", *BODY)
    art = clean_document(raw, "text")
    assert paragraphs(art) == BODY
    assert reasons_of(art, "Politics") == {"navigation"}


def test_non_english_page_is_not_emptied():
    body = [
        "O conselho municipal aprovou na terça-feira um plano para substituir os canos de chumbo que "
        "ainda levam água potável a cerca de quatro mil casas nos bairros mais antigos da cidade.",
        "O projeto, que deve custar 48 milhões de dólares ao longo de seis anos, será financiado por "
        "uma verba federal e por um pequeno aumento nas tarifas de água.",
        "Os moradores que falaram na reunião elogiaram a decisão, mas pediram que as obras começassem "
        "pelos bairros onde os testes encontraram os níveis mais altos de chumbo.",
    ]
    raw = page("Início", "Política", "Economia", *body, "Leia também", "Prefeitura anuncia novas obras")
    art = clean_document(raw, "text")
    assert paragraphs(art) == body


def test_every_removed_block_has_a_known_reason_and_exact_span():
    raw = page("Home", "Riverton approves plan", "June 4, 2025", *BODY, BODY[1], *FAKE_PROFILE,
               "This website uses cookies.", "Read More")
    art = clean_document(raw, "text")
    kept = set(paragraphs(art))
    for b in art.removed_blocks:
        assert b.reason in REMOVAL_REASONS
        assert raw[b.raw_start:b.raw_end] == b.text
    removed = {b.text for b in art.removed_blocks}
    for line in raw.splitlines():
        if line.strip():
            assert line.strip() in kept or line.strip() in removed


def test_html_goes_through_trafilatura_and_post_cleaning():
    paras = "".join(f"<p>{p}</p>" for p in BODY + [BODY[2]])
    html = (
        "<html><head><title>Riverton approves plan | Riverton Today</title></head><body>"
        "<nav><a href='/'>Home</a><a href='/news'>News</a></nav>"
        f"<article><h1>Riverton approves plan to replace lead pipes</h1>{paras}</article>"
        "<footer>© 2025 Riverton Today</footer></body></html>"
    )
    art = clean_document(html, "html")
    assert paragraphs(art)[:5] == BODY
    assert art.body_text.count(BODY[2]) == 1
    assert "Home" not in paragraphs(art)


def test_lib_clean_does_not_import_dagster():
    pkg = Path(__file__).resolve().parents[2] / "dagster_project/lib/clean"
    for path in pkg.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not any(a.name.split(".")[0] == "dagster" for a in node.names), path
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[0] != "dagster", path
