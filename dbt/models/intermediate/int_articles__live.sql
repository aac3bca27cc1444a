-- The articles whose rows may feed facts: status 'ok', and one copy of
-- byte-identical files. A view: incremental builds read only the changed
-- articles' rows of it.
{{ config(materialized='view') }}

with articles as (select * from {{ ref('int_articles__status') }}),

final as (
    select
        article_id,
        published_date,
        rewrite_cluster_id,
        body_text,
    from articles
    where status = 'ok' and duplicate_of is null
)

select * from final
