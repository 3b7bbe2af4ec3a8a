-- A select of `problem` texts, one per problem of the scoring rules relation
-- `rules` (typed_scoring_rules), each naming its rules: no rule at all or no
-- active rule (every score would be 0), rule_id missing or repeated, unknown
-- activity_type, unreadable numbers, a cap on a non-positive rule, active
-- rules that tie.
{% macro scoring_rule_problems(rules, activity_type_map) -%}
    select {{ dbt.concat(["'a rule has no rule_id (activity_type '", quoted('activity_type'), "')'"]) }} as problem
    from {{ rules }}
    where rule_id is null
    union all
    select {{ dbt.concat(["'rule_id '", quoted('rule_id'), "' appears '", as_text('count(*)'), "' times'"]) }}
    from {{ rules }}
    where rule_id is not null
    group by rule_id
    having count(*) > 1
    union all
    select {{ dbt.concat(["'rule '", quoted('rule_id'), "': activity_type '", quoted('activity_type'), "' is not a canonical type of activity_type_map'"]) }}
    from {{ rules }}
    where
        activity_type is null
        or activity_type not in (
            select type_map.activity_type from {{ activity_type_map }} as type_map
            where type_map.activity_type is not null
        )
    union all
    select {{ dbt.concat(["'rule '", quoted('rule_id'), "': points '", quoted('points_text'), "' is not an integer'"]) }}
    from {{ rules }}
    where points is null
    union all
    select {{ dbt.concat(["'rule '", quoted('rule_id'), "': priority '", quoted('priority_text'), "' is not an integer'"]) }}
    from {{ rules }}
    where priority is null
    union all
    select {{ dbt.concat(["'rule '", quoted('rule_id'), "': max_points_per_day '", quoted('max_points_per_day_text'), "' is not a positive integer'"]) }}
    from {{ rules }}
    where
        max_points_per_day_text is not null
        and coalesce(max_points_per_day <= 0, true)
    union all
    select {{ dbt.concat(["'rule '", quoted('rule_id'), "': max_points_per_day is allowed only on rules with positive points (points '", quoted('points_text'), "')'"]) }}
    from {{ rules }}
    where
        max_points_per_day_text is not null
        and points <= 0
    union all
    select {{ dbt.concat([
        "'active rules '", ordered_listagg(quoted('rule_id'), 'rule_id', "', '"),
        "' share activity_type '", quoted('activity_type'),
        "', asset_pattern '", quoted('lower(asset_pattern)'),
        "' and priority '", as_text('priority'),
        "': which one wins is undefined'",
    ]) }}
    from {{ rules }}
    where is_active and priority is not null
    group by activity_type, lower(asset_pattern), priority
    having count(*) > 1
    union all
    select
        case
            when count(*) = 0 then 'the file has no rule: every score would be 0'
            else 'no rule is active (is_active true): every score would be 0'
        end
    from {{ rules }}
    having coalesce(sum(case when is_active then 1 else 0 end), 0) = 0
{%- endmacro %}
