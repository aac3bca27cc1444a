-- The change log of the incremental build: one row per article with a
-- fingerprint of every landing row it contributes to the marts. An
-- incremental run writes only the articles whose fingerprint differs from the
-- last build's (new, edited, removed or quarantined, re-clustered, an actor
-- name merged differently, a byte-identical copy appearing or going) and
-- articles that vanished from the landing tables (fingerprint null); those
-- rows carry this invocation's id, and every incremental model downstream
-- rebuilds what they touch (macros/incremental.sql).
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='article_id',
) }}

with files as (select * from {{ ref('stg_raw__files') }}),

articles as (select * from {{ ref('stg_raw__articles') }}),

-- Which copy of byte-identical files feeds the facts depends on the others:
-- every file of a content hash carries the state of all of them.
copies as (
    select
        files.article_id,
        bit_xor(hash(files.source_path, files.file_status, articles.article_id is not null))
            over (partition by files.content_hash) as copies_hash,
    from files
    left join articles on articles.article_id = files.article_id
),

row_hashes as (
    select article_id, hash('files', f) as h from files as f
    union all
    select article_id, hash('copies', copies_hash) from copies
    union all
    {%- for name in ['articles', 'article_clusters', 'claims', 'claim_clusters',
                     'actor_mentions', 'figure_mentions', 'event_mentions', 'removed_blocks'] %}
    select article_id, hash('{{ name }}', t) from {{ ref('stg_raw__' ~ name) }} as t
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

current_state as (
    select
        article_id,
        {{ rows_fingerprint('h') }} as fingerprint,
    from row_hashes
    group by article_id
),

{% if is_incremental() %}
changed as (
    select
        coalesce(current_state.article_id, previous.article_id) as article_id,
        current_state.fingerprint,
    from current_state
    full outer join {{ this }} as previous on previous.article_id = current_state.article_id
    where current_state.fingerprint is distinct from previous.fingerprint
),
{% else %}
changed as (select * from current_state),
{% endif %}

final as (
    select
        article_id,
        fingerprint,
        '{{ invocation_id }}' as changed_by,
        current_timestamp as changed_at,
    from changed
)

select * from final
