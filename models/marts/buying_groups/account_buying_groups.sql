-- One row per business account (SPEC 3.13): its buying group's members,
-- the required roles covered by an engaged member and those missing, the
-- group score (the roles' scores weighed) and the buying stage it reaches;
-- `is_mqa` when that stage triggers CRM automation (a marketing-qualified
-- account). Accounts without contacts included; person accounts left out.
with business_accounts as (
    select * from {{ ref('int_business_accounts') }}
),

roles as (
    select * from {{ ref('stg_config__buying_roles') }}
),

stages as (
    select * from {{ ref('stg_config__account_stages') }}
),

members as (
    select * from {{ ref('int_buying_group_members') }}
),

role_rows as (
    select * from {{ ref('account_buying_group_roles') }}
),

member_counts as (
    select
        business_accounts.account_id,
        count(members.contact_id) as member_count,
        coalesce(sum(case when members.is_engaged then 1 else 0 end), 0)
            as engaged_member_count
    from business_accounts
    left join members
        on business_accounts.account_id = members.account_id
    group by business_accounts.account_id
),

role_totals as (
    -- required roles, those with an engaged member, and the weighed sum of
    -- the roles' scores (a null weight weighs nothing)
    select
        role_rows.account_id,
        sum(case when role_rows.is_required then 1 else 0 end) as required_roles,
        sum(
            case when role_rows.is_required and role_rows.engaged_member_count > 0 then 1 else 0 end
        ) as covered_required_roles,
        sum(coalesce(roles.weight, 0) * role_rows.role_score) as weighted_score
    from role_rows
    inner join roles
        on role_rows.role = roles.role
    group by role_rows.account_id
),

missing as (
    -- required roles without an engaged member, by priority
    select
        role_rows.account_id,
        {{ ordered_listagg('role_rows.role', 'roles.priority', "','") }} as missing_roles
    from role_rows
    inner join roles
        on role_rows.role = roles.role
    where
        role_rows.is_required
        and role_rows.engaged_member_count = 0
    group by role_rows.account_id
),

grouped as (
    select
        business_accounts.account_id,
        business_accounts.owner_id,
        member_counts.member_count,
        member_counts.engaged_member_count,
        coalesce(role_totals.required_roles, 0) as required_roles,
        coalesce(role_totals.covered_required_roles, 0) as covered_required_roles,
        coalesce(missing.missing_roles, '') as missing_roles,
        cast(
            round(cast(coalesce(role_totals.weighted_score, 0) as decimal(38, 6)), 0)
            as {{ dbt.type_bigint() }}
        ) as group_score
    from business_accounts
    inner join member_counts
        on business_accounts.account_id = member_counts.account_id
    left join role_totals
        on business_accounts.account_id = role_totals.account_id
    left join missing
        on business_accounts.account_id = missing.account_id
),

reached_stages as (
    -- the stages the account reaches, best first: the largest
    -- min_group_score, then the largest min_required_roles
    select
        grouped.account_id,
        stages.stage,
        coalesce(stages.triggers_automation, false) as triggers_automation,
        row_number() over (
            partition by grouped.account_id
            order by
                stages.min_group_score desc,
                stages.min_required_roles desc,
                stages.stage asc
        ) as stage_rank
    from grouped
    inner join stages
        on
            grouped.covered_required_roles >= stages.min_required_roles
            and grouped.group_score >= stages.min_group_score
    where stages.stage is not null
),

final as (
    select
        grouped.account_id,
        grouped.owner_id,
        cast(grouped.member_count as {{ dbt.type_bigint() }}) as member_count,
        cast(grouped.engaged_member_count as {{ dbt.type_bigint() }}) as engaged_member_count,
        cast(grouped.required_roles as {{ dbt.type_bigint() }}) as required_roles,
        cast(grouped.covered_required_roles as {{ dbt.type_bigint() }}) as covered_required_roles,
        case
            when grouped.required_roles > 0
                then {{ ratio_rounded(
                    'grouped.covered_required_roles', 'grouped.required_roles', 4
                ) }}
        end as coverage,
        grouped.missing_roles,
        grouped.group_score,
        coalesce(reached_stages.stage, 'none') as buying_stage,
        coalesce(reached_stages.triggers_automation, false) as is_mqa,
        {{ as_of_date() }} as as_of_date
    from grouped
    left join reached_stages
        on
            grouped.account_id = reached_stages.account_id
            and reached_stages.stage_rank = 1
)

select * from final
