-- One row per scored contact: its fit grade (SPEC 3.8). Every contact starts
-- at D (index 2 of the ladder); each active criterion looks at one field of
-- the contact (title, email_domain, industry of its account, crm_object):
-- a null value changes nothing, a value matching any of the criterion's
-- patterns (case-insensitive LIKE on the trimmed value) adds match_thirds,
-- any other value takes away mismatch_thirds. The grade is the ladder entry
-- at 2 + the steps, clamped to F ... A+. The e-mail is read for its domain
-- only and goes no further.
with scored_contacts as (
    select * from {{ ref('int_scored_contacts') }}
),

contacts as (
    select * from {{ ref('stg_raw__contacts') }}
),

accounts as (
    select * from {{ ref('stg_raw__accounts') }}
),

criteria as (
    select * from {{ ref('stg_config__grading_criteria') }}
),

patterns as (
    select * from {{ ref('int_grading_patterns') }}
),

contact_fields as (
    -- the graded fields, trimmed and lower-cased (blank is null);
    -- email_domain is the text after the last @ of the trimmed e-mail
    select
        scored_contacts.contact_id,
        nullif(lower({{ trim_text('contacts.title') }}), '') as title,
        nullif(
            lower({{ trim_text(regex_group(trim_text('contacts.email'), '@([^@]*)$', 1)) }}),
            ''
        ) as email_domain,
        nullif(lower({{ trim_text('accounts.industry') }}), '') as industry,
        scored_contacts.crm_object
    from scored_contacts
    inner join contacts
        on scored_contacts.contact_id = contacts.contact_id
    left join accounts
        on scored_contacts.account_id = accounts.account_id
),

field_values as (
    -- one row per (contact, field) holding a value
    select
        contact_id,
        'title' as field,
        title as field_value
    from contact_fields
    where title is not null
    union all
    select
        contact_id,
        'email_domain' as field,
        email_domain as field_value
    from contact_fields
    where email_domain is not null
    union all
    select
        contact_id,
        'industry' as field,
        industry as field_value
    from contact_fields
    where industry is not null
    union all
    select
        contact_id,
        'crm_object' as field,
        crm_object as field_value
    from contact_fields
    where crm_object is not null
),

distinct_values as (
    -- far fewer titles, domains and industries than contacts: each value is
    -- matched once
    select distinct
        field,
        field_value
    from field_values
),

value_matches as (
    -- each known value with each active criterion on its field: does any
    -- of the criterion's patterns match it?
    select
        distinct_values.field,
        distinct_values.field_value,
        criteria.criterion_id,
        criteria.match_thirds,
        criteria.mismatch_thirds,
        count(patterns.pattern) > 0 as is_match
    from distinct_values
    inner join criteria
        on distinct_values.field = criteria.field
    left join patterns
        on
            criteria.criterion_id = patterns.criterion_id
            and distinct_values.field_value like patterns.pattern
    where criteria.is_active
    group by
        distinct_values.field,
        distinct_values.field_value,
        criteria.criterion_id,
        criteria.match_thirds,
        criteria.mismatch_thirds
),

value_steps as (
    -- the grade steps one value of one field is worth
    select
        field,
        field_value,
        sum(case when is_match then match_thirds else -mismatch_thirds end) as steps
    from value_matches
    group by
        field,
        field_value
),

contact_steps as (
    select
        field_values.contact_id,
        sum(value_steps.steps) as steps
    from field_values
    inner join value_steps
        on
            field_values.field = value_steps.field
            and field_values.field_value = value_steps.field_value
    group by field_values.contact_id
),

graded as (
    select
        contact_fields.contact_id,
        case
            when 2 + coalesce(contact_steps.steps, 0) < 0 then 0
            when 2 + coalesce(contact_steps.steps, 0) > 12 then 12
            else 2 + coalesce(contact_steps.steps, 0)
        end as grade_index
    from contact_fields
    left join contact_steps
        on contact_fields.contact_id = contact_steps.contact_id
),

final as (
    select
        contact_id,
        cast(grade_index as {{ dbt.type_int() }}) as grade_index,
        {{ grade_name('grade_index') }} as grade
    from graded
)

select * from final
