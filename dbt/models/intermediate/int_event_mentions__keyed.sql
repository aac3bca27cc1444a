-- One row per live event mention with the natural key of the event it states:
-- event_id = surrogate of (event type, stated date, actor set). Undated
-- mentions are keyed on their claim cluster, so paraphrases of one undated
-- claim are one event. A mention with no actors joins the only actor set
-- stated for the same type and date.
-- Incremental by event group (type and date key): a build recomputes the
-- groups the changed articles' mentions touch (int_event_mentions_changed_keys
-- in macros/incremental_keys.sql), every mention of those groups included.
-- depends_on: {{ ref('int_article_changes') }}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    pre_hook="{{ delete_changed_keys('event_group', int_event_mentions_changed_keys()) }}",
) }}

with mentions as (select * from {{ ref('stg_raw__event_mentions') }}),

live as (select * from {{ ref('int_articles__live') }}),

claims as (select * from {{ ref('int_claims') }}),

stated as (
    select
        mentions.*,
        live.published_date,
        live.rewrite_cluster_id,
        claims.claim_id,
        claims.text as claim_text,
        {{ event_type_key('mentions.event_type') }} as event_type_key,
        {{ event_date_key('mentions', 'claims.claim_cluster_id') }} as date_key,
        {{ name_list_key('mentions.actor_names') }} as stated_actor_key,
    from mentions
    inner join live on live.article_id = mentions.article_id
    left join claims
        on claims.article_id = mentions.article_id
        and claims.claim_index = mentions.claim_index
),

grouped as (
    select *, {{ event_group('event_type_key', 'date_key') }} as event_group,
    from stated
    {% if is_incremental() %}
    where event_group in (select event_group from {{ changed_keys_relation() }})
    {% endif %}
),

actor_sets as (
    select
        event_type_key,
        date_key,
        count(distinct stated_actor_key) filter (where stated_actor_key <> '') as n_actor_sets,
        max(stated_actor_key) as only_actor_key,
        list_sort(list_distinct(flatten(list(actor_names) filter (where stated_actor_key <> '')))) as only_actor_names,
    from grouped
    group by all
),

keyed as (
    select
        grouped.*,
        case
            when grouped.stated_actor_key = '' and actor_sets.n_actor_sets = 1 then actor_sets.only_actor_key
            else grouped.stated_actor_key
        end as actor_key,
    from grouped
    inner join actor_sets using (event_type_key, date_key)
),

final as (
    select
        {{ surrogate_key(['article_id', 'mention_index']) }} as event_mention_id,
        {{ surrogate_key(['event_type_key', 'date_key', 'actor_key']) }} as event_id,
        article_id,
        mention_index,
        claim_index,
        claim_id,
        char_start,
        char_end,
        surface_text,
        event_type,
        event_type_key,
        event_date,
        date_key,
        date_precision,
        date_start,
        date_end,
        actor_names,
        actor_key,
        location,
        description,
        claim_text,
        published_date,
        rewrite_cluster_id,
        event_group,
    from keyed
)

select * from final
