-- buying_roles.csv (SPEC 3.13): every role named and named once, a whole
-- priority that no other role has (the smallest priority decides a title
-- matching two roles), a weight that is a number >= 0, and at least one
-- non-blank title pattern.
with roles as (
    select * from {{ ref('stg_config__buying_roles') }}
),

roles_with_patterns as (
    select distinct role
    from {{ ref('int_buying_role_patterns') }}
),

problems as (
    select
        {{ dbt.concat([
            "'a role has no name (priority '",
            quoted('priority_text'),
            "')'",
        ]) }} as problem
    from roles
    where role is null
    union all
    {{ duplicate_problems('roles', 'role', 'role') }}
    union all
    select
        {{ dbt.concat([
            "'role '",
            quoted('role'),
            "': priority '",
            quoted('priority_text'),
            "' is not a whole number'",
        ]) }}
    from roles
    where priority is null
    union all
    select
        {{ dbt.concat([
            "'roles '",
            ordered_listagg(quoted('role'), 'role', "', '"),
            "' share priority '",
            as_text('priority'),
        ]) }}
    from roles
    where priority is not null
    group by priority
    having count(*) > 1
    union all
    select
        {{ dbt.concat([
            "'role '",
            quoted('role'),
            "': weight '",
            quoted('weight_text'),
            "' is not a number >= 0'",
        ]) }}
    from roles
    where weight is null or weight < 0
    union all
    select {{ dbt.concat(["'role '", quoted('roles.role'), "' has no title pattern'"]) }}
    from roles
    left join roles_with_patterns
        on roles.role = roles_with_patterns.role
    where
        roles.role is not null
        and roles_with_patterns.role is null
)

{{ fail_naming_problems('problems', 'seeds/buying_roles.csv') }}
