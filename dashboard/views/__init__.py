"""One module per dashboard page, each with a ``render()``."""

from dashboard.views import corroboration, facts, mentions, overview, timeline

# query-parameter value -> (title, render, listed in the menu)
PAGES = {
    "overview": ("Overview", overview.render, True),
    "facts": ("Facts", facts.render, True),
    "timeline": ("Actor timeline", timeline.render, True),
    "corroboration": ("Corroboration and conflicts", corroboration.render, True),
    # Reached from a fact's "mentions →" link.
    "mentions": ("Mentions", mentions.render, False),
}
