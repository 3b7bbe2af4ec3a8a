-- Configuration checks. Each *_problems macro is a select of one text column,
-- `problem`, one row per broken configuration row, naming it. The singular
-- tests in tests/config/ wrap them in fail_naming_problems, so that `dbt build`
-- stops with every offending row in the error message itself.

-- Quoted text of a value for messages ('<null>' for null). chr(39) is the
-- quote: Spark reads '''' as two adjacent empty literals, not as a quote.
{% macro quoted(value_sql) -%}
    coalesce({{ dbt.concat(["chr(39)", value_sql, "chr(39)"]) }}, '<null>')
{%- endmacro %}

-- Raise one error listing every problem of the CTE/relation `problems`;
-- no row (the test passes) when there is none.
{% macro fail_naming_problems(problems, what) -%}
    {{ return(adapter.dispatch('fail_naming_problems', 'engagement_scoring')(problems, what)) }}
{%- endmacro %}

{% macro default__fail_naming_problems(problems, what) -%}
    select
        {{ raise_error(dbt.concat([
            "'" ~ what ~ " is invalid: '",
            ordered_listagg('problem', 'problem', "'; '"),
        ])) }} as failure
    from {{ problems }}
    having count(*) > 0
{%- endmacro %}

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
{%- endmacro %}
