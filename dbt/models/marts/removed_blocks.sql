-- Incremental by article: an incremental build recomputes the rows of the
-- articles int_article_changes lists (macros/incremental.sql).
-- depends_on: {{ ref('int_article_changes') }}
{{ incremental_by_article() }}

with blocks as (select * from {{ ref('stg_raw__removed_blocks') }}),

articles as (select * from {{ ref('int_articles__status') }}),

final as (
    select
        {{ surrogate_key(['blocks.article_id', 'blocks.block_index']) }} as removed_block_id,
        blocks.article_id,
        blocks.block_index,
        blocks.reason,
        blocks.text,
        blocks.raw_start,
        blocks.raw_end,
        articles.status as article_status,
    from blocks
    inner join articles on articles.article_id = blocks.article_id
    {% if is_incremental() %}
    where blocks.article_id in {{ changed_articles() }}
    {% endif %}
)

select * from final
