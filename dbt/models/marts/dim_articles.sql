-- Incremental by article: an incremental build recomputes the rows of the
-- articles int_article_changes lists (macros/incremental.sql).
-- depends_on: {{ ref('int_article_changes') }}
{{ incremental_by_article() }}

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
    {% if is_incremental() %}
    where articles.article_id in {{ changed_articles() }}
    {% endif %}
)

select * from final
