-- One row per (scored contact outside person accounts, category) where the
-- contact has an activity up to as_of_date won by a rule of that category.
{{ check_window_columns() }}
{%- set windows = score_windows() %}
with category_points as (
    select * from {{ ref('int_lead_category_points') }}
),

scored_contacts as (
    select * from {{ ref('int_scored_contacts') }}
),

final as (
    select
        category_points.contact_id,
        scored_contacts.account_id,
        category_points.category,
        {%- for days in windows %}
            cast(category_points.points_{{ days }}d as {{ dbt.type_bigint() }})
                as points_{{ days }}d,
        {%- endfor %}
        cast(category_points.score as {{ dbt.type_bigint() }}) as score
    from category_points
    inner join scored_contacts
        on category_points.contact_id = scored_contacts.contact_id
    where not scored_contacts.is_person_account
)

select * from final
