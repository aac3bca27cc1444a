-- Loaded in Dagster as an asset check on fct_events.
{{ config(meta={'dagster': {'ref': {'name': 'fct_events'}}}) }}
-- n_mentions, n_articles and n_independent_sources of every event agree with
-- its mentions and the rewrite clusters of their articles.
{{ fact_counts_disagree(ref('fct_events'), ref('fct_event_mentions'), 'event_id') }}
