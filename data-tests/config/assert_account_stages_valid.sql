-- account_stages.csv (SPEC 3.13): every stage named and named once, whole
-- minimums >= 0, and no two stages with the same (min_required_roles,
-- min_group_score): an account reaching them could not tell them apart.
with stages as (
    select * from {{ ref('stg_config__account_stages') }}
),

problems as (
    select
        {{ dbt.concat([
            "'a stage has no name (min_required_roles '",
            quoted('min_required_roles_text'),
            "', min_group_score '",
            quoted('min_group_score_text'),
            "')'",
        ]) }} as problem
    from stages
    where stage is null
    union all
    {{ duplicate_problems('stages', 'stage', 'stage') }}
    union all
    select
        {{ dbt.concat([
            "'stage '",
            quoted('stage'),
            "': min_required_roles '",
            quoted('min_required_roles_text'),
            "' is not a whole number >= 0'",
        ]) }}
    from stages
    where min_required_roles is null or min_required_roles < 0
    union all
    select
        {{ dbt.concat([
            "'stage '",
            quoted('stage'),
            "': min_group_score '",
            quoted('min_group_score_text'),
            "' is not a whole number >= 0'",
        ]) }}
    from stages
    where min_group_score is null or min_group_score < 0
    union all
    select
        {{ dbt.concat([
            "'stages '",
            ordered_listagg(quoted('stage'), 'stage', "', '"),
            "' share min_required_roles '",
            as_text('min_required_roles'),
            "' and min_group_score '",
            as_text('min_group_score'),
        ]) }}
    from stages
    where
        min_required_roles is not null
        and min_group_score is not null
    group by
        min_required_roles,
        min_group_score
    having count(*) > 1
)

{{ fail_naming_problems('problems', 'seeds/account_stages.csv') }}
