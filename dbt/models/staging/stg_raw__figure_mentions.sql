with source as (select * from {{ source('raw', 'figure_mentions') }}),

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
        cast(value as double) as value,
        cast(value_high as double) as value_high,
        cast(unit as varchar) as unit,
        cast(qualifier as varchar) as qualifier,
        cast(measure as varchar) as measure,
        cast(period_text as varchar) as period_text,
        list_transform(
            cast(coalesce(actor_names, []) as varchar[]), lambda n: coalesce(name_map[n], n)
        ) as mapped_names,
    from source, names
)

-- Two names merged into one keep its first place in the list.
select
    * exclude (mapped_names),
    list_filter(mapped_names, lambda n, i: list_position(mapped_names, n) = i) as actor_names,
from final
