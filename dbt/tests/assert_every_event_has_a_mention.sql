-- Loaded in Dagster as an asset check on fct_events.
{{ config(meta={'dagster': {'ref': {'name': 'fct_events'}}}) }}
-- No fact without a mention: every event is backed by at least one mention.
select e.event_id
from {{ ref('fct_events') }} as e
left join {{ ref('fct_event_mentions') }} as m on m.event_id = e.event_id
where m.event_id is null
