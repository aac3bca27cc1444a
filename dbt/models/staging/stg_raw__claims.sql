with source as (select * from {{ source('raw', 'claims') }}),

final as (
    select
        cast(article_id as varchar) as article_id,
        cast(claim_index as integer) as claim_index,
        cast(char_start as integer) as char_start,
        cast(char_end as integer) as char_end,
        cast(text as varchar) as text,
        cast(assertion as varchar) as assertion,
        cast(attributed_to as varchar) as attributed_to,
    from source
)

select * from final
