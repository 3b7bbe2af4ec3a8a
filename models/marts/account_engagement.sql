-- One row per business account (not deleted, not a person account), with or
-- without contacts: its scored contacts' engagement rolled up.
{{ check_window_columns() }}
{%- set windows = score_windows() %}
with accounts as (
    select * from {{ ref('int_business_accounts') }}
),

rollups as (
    select * from {{ ref('int_account_rollups') }}
),

final as (
    select
        accounts.account_id,
        accounts.owner_id,
        accounts.industry,
        cast(rollups.contact_count as {{ dbt.type_bigint() }}) as contact_count,
        cast(rollups.engaged_contact_count as {{ dbt.type_bigint() }}) as engaged_contact_count,
        cast(rollups.total_score as {{ dbt.type_bigint() }}) as total_score,
        rollups.avg_score,
        cast(rollups.max_score as {{ dbt.type_bigint() }}) as max_score,
        cast(rollups.total_recent_score as {{ dbt.type_bigint() }}) as total_recent_score,
        {%- for days in windows %}
            cast(rollups.points_{{ days }}d as {{ dbt.type_bigint() }}) as points_{{ days }}d,
        {%- endfor %}
        {{ as_of_date() }} as as_of_date
    from accounts
    inner join rollups
        on accounts.account_id = rollups.account_id
)

select * from final
