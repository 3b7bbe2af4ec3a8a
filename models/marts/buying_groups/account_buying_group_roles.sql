-- One row per business account and buying role of seeds/buying_roles.csv
-- (SPEC 3.13): the account's members holding that role, how many of them
-- are engaged, the role's score (the largest score of those members, 0
-- without any) and the member holding it. Person accounts have no buying
-- group.
with business_accounts as (
    select * from {{ ref('int_business_accounts') }}
),

roles as (
    select * from {{ ref('stg_config__buying_roles') }}
),

members as (
    select * from {{ ref('int_buying_group_members') }}
),

role_members as (
    select
        account_id,
        role,
        count(*) as member_count,
        sum(case when is_engaged then 1 else 0 end) as engaged_member_count,
        max(score) as role_score
    from members
    where role is not null
    group by
        account_id,
        role
),

top_members as (
    -- the member with the largest score, ties: the smallest contact_id
    select
        account_id,
        role,
        contact_id,
        row_number() over (
            partition by account_id, role
            order by score desc, contact_id asc
        ) as member_rank
    from members
    where role is not null
),

final as (
    select
        business_accounts.account_id,
        roles.role,
        coalesce(roles.is_required, false) as is_required,
        cast(coalesce(role_members.member_count, 0) as {{ dbt.type_bigint() }}) as member_count,
        cast(
            coalesce(role_members.engaged_member_count, 0) as {{ dbt.type_bigint() }}
        ) as engaged_member_count,
        cast(coalesce(role_members.role_score, 0) as {{ dbt.type_bigint() }}) as role_score,
        top_members.contact_id as top_contact_id
    from business_accounts
    cross join roles
    left join role_members
        on
            business_accounts.account_id = role_members.account_id
            and roles.role = role_members.role
    left join top_members
        on
            business_accounts.account_id = top_members.account_id
            and roles.role = top_members.role
            and top_members.member_rank = 1
    where roles.role is not null
)

select * from final
