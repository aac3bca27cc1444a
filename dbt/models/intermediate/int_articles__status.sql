-- Incremental by article: an incremental build recomputes the rows of the
-- articles int_article_changes lists (macros/incremental.sql).
-- depends_on: {{ ref('int_article_changes') }}
{{ incremental_by_article() }}

with files as (select * from {{ ref('stg_raw__files') }}),

articles as (select * from {{ ref('stg_raw__articles') }}),

clusters as (select * from {{ ref('stg_raw__article_clusters') }}),

joined as (
    select
        files.article_id,
        files.source_path,
        files.file_status,
        files.quarantine_reason as file_quarantine_reason,
        files.detected_format,
        files.size_bytes,
        files.content_hash,
        articles.article_id is not null as has_article,
        articles.title,
        articles.subtitle,
        articles.author,
        articles.published_date,
        articles.site_name,
        articles.body_text,
        articles.truncated_from,
        clusters.rewrite_cluster_id,
    from files
    left join articles on articles.article_id = files.article_id
    left join clusters on clusters.article_id = files.article_id
),

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
        -- counted below, for the rows this build writes only
        cast(null as bigint) as word_count,
        -- The contract knows three states, mapped from the file lifecycle
        -- (dagster_project/lib/warehouse.py decides every transition): a failed
        -- file is quarantined with the error as its reason, and a file still
        -- 'pending' without a cleaned article has not made it through yet.
        case
            when file_status in ('removed', 'quarantined') then file_status
            when file_status = 'failed' then 'quarantined'
            when has_article then 'ok'
            else 'quarantined'
        end as status,
        case
            when file_status = 'removed' then coalesce(file_quarantine_reason, 'file deleted from the raw folder')
            when file_status in ('quarantined', 'failed') then coalesce(file_quarantine_reason, 'quarantined (no reason recorded)')
            when has_article then null
            else 'not processed yet (file status ' || file_status || ')'
        end as quarantine_reason,
        case
            when file_status = 'quarantined' then 'bad_input'
            when file_status = 'failed' then 'processing_error'
            when file_status = 'removed' or has_article then null
            else 'not_processed'
        end as quarantine_cause,
        file_status,
        detected_format,
        size_bytes,
        content_hash,
        truncated_from,
        -- Articles the clustering has not seen yet are their own cluster.
        coalesce(rewrite_cluster_id, {{ surrogate_key(['article_id']) }}) as rewrite_cluster_id,
    from joined
),

-- Byte-identical files under several names are one article for the facts: the
-- first path (in sort order) feeds them, the others name it in duplicate_of.
with_copies as (
    select
        *,
        case
            when status = 'ok'
                then min(source_path) over (partition by status, content_hash)
        end as first_copy_path,
    from final
)

select
    * exclude (first_copy_path) replace (
        case
            when body_text is null or trim(body_text) = '' then 0
            else len(regexp_split_to_array(trim(body_text), '\s+'))
        end as word_count
    ),
    case when first_copy_path <> source_path then first_copy_path end as duplicate_of,
from with_copies
{% if is_incremental() %}
where article_id in {{ changed_articles() }}
{% endif %}
