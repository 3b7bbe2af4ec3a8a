-- One row per (business account, category) with at least one
-- lead_category_scores row among the account's contacts: their points summed.
{{ check_window_columns() }}
{%- set windows = score_windows() %}
with category_points as (
    select * from {{ ref('int_lead_category_points') }}
),

scored_contacts as (
    select * from {{ ref('int_scored_contacts') }}
),

accounts as (
    select * from {{ ref('int_business_accounts') }}
),

final as (
    select
        accounts.account_id,
        category_points.category,
        {%- for days in windows %}
            cast(sum(category_points.points_{{ days }}d) as {{ dbt.type_bigint() }})
                as points_{{ days }}d,
        {%- endfor %}
        cast(sum(category_points.score) as {{ dbt.type_bigint() }}) as score
    from category_points
    inner join scored_contacts
        on category_points.contact_id = scored_contacts.contact_id
    inner join accounts
        on scored_contacts.account_id = accounts.account_id
    group by
        accounts.account_id,
        category_points.category
)

select * from final
