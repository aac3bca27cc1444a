{#- Normalisations shared by the fact models; see int_figure_mentions__keyed.yml. -#}

{#- A canonical key for what a figure measures: lower-cased words, synonyms
    folded ('deal'/'pact'/'accord' -> 'agreement', 'drones'/'unmanned aerial
    vehicles' -> 'uav' ...), filler words dropped, a plural 's' stripped, the
    rest sorted and de-duplicated. 'value of the $40 billion energy deal' and
    'energy agreement worth' both give 'agreement energy'. Null when empty. -#}
{% macro measure_key(column) -%}
    nullif(array_to_string(list_sort(list_distinct(list_filter(
        list_transform(
            string_split(
                regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
                    lower(coalesce({{ column }}, '')),
                    '[^a-z0-9]+', ' ', 'g'),
                    '\b(unmanned aerial vehicles?|drones?|uavs)\b', 'uav', 'g'),
                    '\b(deals?|pacts?|accords?|contracts?|agreements?|treaty|treaties)\b', 'agreement', 'g'),
                    '\b(turnover|commerce|trading)\b', 'trade', 'g'),
                    '\b(russian|moscow|kremlin)\b', 'russia', 'g'),
                    '\b(iranian|tehran)\b', 'iran', 'g'),
                ' '),
            lambda w: case when length(w) > 3 and w like '%s' and w not like '%ss' then w[1:-2] else w end
        ),
        lambda w: w <> '' and not list_contains(
            ['the', 'a', 'an', 'of', 'in', 'on', 'for', 'to', 'by', 'and', 'with', 'from',
             'between', 'its', 'their', 'worth', 'value', 'valued', 'amount', 'total', 'number',
             'annual', 'yearly', 'estimated', 'reported', 'some', 'about', 'over', 'than'],
            w)
    ))), ' '), '')
{%- endmacro %}

{#- The year a period ends in: the largest four-digit year (1500-2099) in the
    text ('Iranian fiscal year 2022-2023' -> 2023, 'since August 2022' -> 2022,
    'by 2030' -> 2030); null when no year is stated ('currently'). -#}
{% macro period_year(column) -%}
    list_max(list_transform(
        regexp_extract_all(coalesce({{ column }}, ''), '\b(1[5-9][0-9][0-9]|20[0-9][0-9])\b'),
        lambda y: cast(y as integer)
    ))
{%- endmacro %}

{#- A unit's key: 'UAV' / 'UAVs' / 'uav' are one unit; ISO codes stay distinct ('usd'). -#}
{% macro unit_key(column) -%}
    regexp_replace(lower(trim({{ column }})), '([a-z]{2}[^s])s$', '\1')
{%- endmacro %}

{#- An event type's key. -#}
{% macro event_type_key(column) -%}
    lower(trim({{ column }}))
{%- endmacro %}

{#- The date an event mention is keyed on: its stated date, or for an undated
    mention its claim cluster (``claim_cluster``; the mention itself when its
    claim has none), so paraphrases of one undated claim are one event. -#}
{% macro event_date_key(alias, claim_cluster) -%}
    coalesce(
        nullif(trim({{ alias }}.event_date), ''),
        'undated:' || coalesce({{ claim_cluster }}, {{ alias }}.article_id || '#' || {{ alias }}.mention_index)
    )
{%- endmacro %}

{#- Bound class of a qualifier: point ('exact', 'about'), lower ('more_than',
    'at_least') or upper ('up_to', 'as_much_as', 'less_than'). 'over 1,700'
    and 'more than 1,700' share a class; 'as much as $40 billion' and
    '$40 billion' do not. -#}
{% macro qualifier_class(column) -%}
    case
        when {{ column }} in ('more_than', 'at_least') then 'lower'
        when {{ column }} in ('up_to', 'as_much_as', 'less_than') then 'upper'
        else 'point'
    end
{%- endmacro %}

{#- A canonical key for a list of names: sorted, distinct, '|'-joined. -#}
{% macro name_list_key(column) -%}
    coalesce(array_to_string(list_sort(list_distinct({{ column }})), '|'), '')
{%- endmacro %}

{#- Units whose values are too generic to identify a fact without its measure
    (a percentage, a multiplier, a duration); see var generic_units. -#}
{% macro generic_units() -%}
    ({%- for u in var('generic_units') %}'{{ u }}'{{ ', ' if not loop.last }}{% endfor -%})
{%- endmacro %}
