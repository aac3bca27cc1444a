with source as (select * from {{ source('raw', 'articles') }}),

final as (
    select
        cast(article_id as varchar) as article_id,
        cast(source_path as varchar) as source_path,
        cast(content_hash as varchar) as content_hash,
        cast(detected_format as varchar) as detected_format,
        cast(title as varchar) as title,
        cast(subtitle as varchar) as subtitle,
        cast(author as varchar) as author,
        cast(published_date as date) as published_date,
        cast(site_name as varchar) as site_name,
        cast(body_text as varchar) as body_text,
        cast(truncated_from as integer) as truncated_from,
    from source
)

select * from final
