-- Loaded in Dagster as an asset check on fct_figures.
{{ config(meta={'dagster': {'ref': {'name': 'fct_figures'}}}) }}
-- n_mentions, n_articles and n_independent_sources of every figure agree with
-- its mentions and the rewrite clusters of their articles.
{{ fact_counts_disagree(ref('fct_figures'), ref('fct_figure_mentions'), 'figure_id') }}
