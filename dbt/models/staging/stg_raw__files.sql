with source as (select * from {{ source('raw', 'files') }}),

final as (
    select
        cast(article_id as varchar) as article_id,
        cast(source_path as varchar) as source_path,
        cast(size_bytes as bigint) as size_bytes,
        cast(content_hash as varchar) as content_hash,
        cast(detected_format as varchar) as detected_format,
        cast(encoding as varchar) as encoding,
        cast(status as varchar) as file_status,
        cast(quarantine_reason as varchar) as quarantine_reason,
        cast(first_seen_at as timestamp) as first_seen_at,
        cast(last_changed_at as timestamp) as last_changed_at,
    from source
)

select * from final
