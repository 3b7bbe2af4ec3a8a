-- A select of (contact_id, crossed_up, crossed_down) over relation/CTE
-- `changes`: the automation tiers of `tier_ranges` whose min_score a change
-- from column `before` to column `after` crosses upwards and downwards, names
-- ordered by min_score and joined with ','. A null `before` is below every
-- tier. Contacts that cross nothing are absent.
{% macro tier_crossings(changes, before, after, tier_ranges) -%}
    select
        {{ changes }}.contact_id,
        {{ ordered_listagg(
            'case when ' ~ changes ~ '.' ~ after ~ ' >= ' ~ tier_ranges ~ '.min_score then ' ~ tier_ranges ~ '.tier end',
            tier_ranges ~ '.min_score',
        ) }} as crossed_up,
        {{ ordered_listagg(
            'case when ' ~ changes ~ '.' ~ after ~ ' < ' ~ tier_ranges ~ '.min_score then ' ~ tier_ranges ~ '.tier end',
            tier_ranges ~ '.min_score',
        ) }} as crossed_down
    from {{ changes }}
    inner join {{ tier_ranges }}
        on
            {{ tier_ranges }}.triggers_automation
            and (
                (
                    coalesce({{ changes }}.{{ before }} < {{ tier_ranges }}.min_score, true)
                    and {{ tier_ranges }}.min_score <= {{ changes }}.{{ after }}
                )
                or (
                    {{ changes }}.{{ after }} < {{ tier_ranges }}.min_score
                    and {{ tier_ranges }}.min_score <= {{ changes }}.{{ before }}
                )
            )
    group by {{ changes }}.contact_id
{%- endmacro %}
