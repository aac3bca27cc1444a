with source as (select * from {{ source('raw', 'event_mentions') }}),

-- Actor names as merged across articles (see stg_raw__actor_names).
names as (
    select map(coalesce(list(raw_name), []), coalesce(list(canonical_name), [])) as name_map
    from {{ ref('stg_raw__actor_names') }}
),

final as (
    select
        cast(article_id as varchar) as article_id,
        cast(mention_index as integer) as mention_index,
        cast(claim_index as integer) as claim_index,
        cast(char_start as integer) as char_start,
        cast(char_end as integer) as char_end,
        cast(surface_text as varchar) as surface_text,
        cast(event_type as varchar) as event_type,
        cast(event_date as varchar) as event_date,
        cast(date_precision as varchar) as date_precision,
        cast(date_start as date) as date_start,
        cast(date_end as date) as date_end,
        list_transform(
            cast(coalesce(actor_names, []) as varchar[]), lambda n: coalesce(name_map[n], n)
        ) as mapped_names,
        cast(location as varchar) as location,
        cast(description as varchar) as description,
    from source, names
)

-- Two names merged into one keep its first place in the list.
select
    * exclude (mapped_names),
    list_filter(mapped_names, lambda n, i: list_position(mapped_names, n) = i) as actor_names,
from final
