-- One name per actor across articles. The extractor resolves names within one
-- article ('Merkel' -> 'Angela Merkel'); across articles the same actor can
-- arrive spelled differently. Merged here, conservatively (two different
-- people are never merged: a short form joins a full name only when exactly
-- one full name fits it):
--   1. the same name up to accents, case, punctuation and word order ('Erdoğan' /
--      'Erdogan', 'OPEC+' / 'OPEC'): the most-mentioned spelling wins;
--   2. a person's lone surname -> the one full name ending with it;
--   3. a person's 'Given Surname' -> the one fuller name with the same first
--      and last word and the same words in between ('Recep Erdogan' ->
--      'Recep Tayyip Erdogan').
-- A table, not a view: the mention views and their tests read it many times.
{{ config(materialized='table') }}

with source as (select * from {{ source('raw', 'actor_mentions') }}),

raw_names as (
    select
        cast(canonical_name as varchar) as name,
        mode(cast(actor_type as varchar)) as actor_type,
        count(*) as n,
    from source
    group by 1
),

folded as (
    select
        *,
        -- word order too: 'Tinubu Bola Ahmed' is 'Bola Ahmed Tinubu'
        array_to_string(list_sort(string_split({{ name_words('name') }}, ' ')), ' ') as fold,
    from raw_names
),

by_fold as (
    select
        name,
        actor_type,
        first(name order by n desc, length(name) desc, name) over (partition by fold) as fold_name,
    from folded
),

people as (
    select distinct
        fold_name as name,
        string_split({{ name_words('fold_name') }}, ' ') as toks,
    from by_fold
    where actor_type = 'person'
),

surnames as (
    select p.name, min(f.name) as target, count(distinct f.name) as k,
    from people as p
    inner join people as f on len(p.toks) = 1 and len(f.toks) >= 2 and f.toks[-1] = p.toks[1]
    group by p.name
),

step1 as (
    select
        b.name,
        b.fold_name,
        coalesce(s.target, b.fold_name) as name1,
    from by_fold as b
    left join surnames as s on s.name = b.fold_name and s.k = 1
),

fuller as (
    select p.name, min(f.name) as target, count(distinct f.name) as k,
    from people as p
    inner join people as f
        on len(p.toks) >= 2
        and len(f.toks) > len(p.toks)
        and f.toks[1] = p.toks[1]
        and f.toks[-1] = p.toks[-1]
        and list_has_all(f.toks, p.toks)
    group by p.name
),

final as (
    select
        step1.name as raw_name,
        coalesce(fuller.target, step1.name1) as canonical_name,
    from step1
    left join fuller on fuller.name = step1.name1 and fuller.k = 1
)

select * from final
