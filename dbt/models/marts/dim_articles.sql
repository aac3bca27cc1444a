with articles as (select * from {{ ref('int_articles__status') }}),

final as (
    select
        article_id,
        source_path,
        title,
        subtitle,
        author,
        published_date,
        site_name,
        body_text,
        cast(word_count as integer) as word_count,
        status,
        quarantine_reason,
        quarantine_cause,
        duplicate_of,
        rewrite_cluster_id,
        detected_format,
        size_bytes,
        content_hash,
        truncated_from,
    from articles
)

select * from final
