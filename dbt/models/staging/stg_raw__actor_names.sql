-- One name per actor across articles. The extractor resolves names within one
-- article ('Merkel' -> 'Angela Merkel'); across articles the same actor can
-- arrive spelled differently. The decision is made in Python
-- (dagster_project/lib/extract/actor_names.py, with rapidfuzz for spelling
-- variants) over every name, on every run, and lands in raw.actor_names; a name
-- missing there keeps the extractor's name (stg_raw__actor_mentions).
-- A table, not a view: the mention views and their tests read it many times.
{{ config(materialized='table') }}

with source as (select * from {{ source('raw', 'actor_names') }}),

final as (
    select
        cast(raw_name as varchar) as raw_name,
        cast(canonical_name as varchar) as canonical_name,
    from source
)

select * from final
