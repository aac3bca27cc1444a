-- The articles whose rows may feed facts: status 'ok' only.
with articles as (select * from {{ ref('int_articles__status') }}),

final as (
    select
        article_id,
        published_date,
        rewrite_cluster_id,
        body_text,
    from articles
    where status = 'ok'
)

select * from final
