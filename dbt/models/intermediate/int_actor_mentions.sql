-- Incremental by article: an incremental build recomputes the rows of the
-- articles int_article_changes lists (macros/incremental.sql).
-- depends_on: {{ ref('int_article_changes') }}
{{ incremental_by_article() }}

with mentions as (select * from {{ ref('stg_raw__actor_mentions') }}),

live as (select * from {{ ref('int_articles__live') }}),

final as (
    select
        {{ surrogate_key(['mentions.article_id', 'mentions.mention_index']) }} as actor_mention_id,
        {{ surrogate_key(['mentions.canonical_name']) }} as actor_id,
        mentions.article_id,
        mentions.mention_index,
        {{ surrogate_key(['mentions.article_id', 'mentions.claim_index']) }} as claim_id,
        mentions.char_start,
        mentions.char_end,
        mentions.surface_text,
        mentions.canonical_name,
        mentions.actor_type,
    from mentions
    inner join live on live.article_id = mentions.article_id
    {% if is_incremental() %}
    where mentions.article_id in {{ changed_articles() }}
    {% endif %}
)

select * from final
