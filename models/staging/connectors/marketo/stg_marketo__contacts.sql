-- One row per Marketo lead id, in the raw_contacts contract (crm_object
-- lead). A lead merged into another (activity_merge_leads: each of merge_ids
-- into lead_id; the latest merge wins) points at it; a lead in
-- activity_delete_lead, or soft-deleted by Fivetran, is deleted. A merged or
-- deleted id without its own lead row gets one (a stub, not scored: its
-- activities count for the survivor, or for no one once deleted). A merge
-- into a lead neither in the lead table nor merged or deleted is ignored.
{{ config(enabled=connector_on('marketo')) }}
with lead as (
    {{ select_connector_columns('marketo', 'lead', [
        'id', 'email', 'title', 'created_at', '_fivetran_deleted',
        '_fivetran_synced',
    ], required=true) }}
),

activity_merge_leads as (
    {{ select_connector_columns('marketo', 'activity_merge_leads', [
        'lead_id', 'merge_ids', 'activity_date',
    ]) }}
),

activity_delete_lead as (
    {{ select_connector_columns('marketo', 'activity_delete_lead', [
        'lead_id',
    ]) }}
),

leads as (
    select
        {{ clean_id('id') }} as contact_id,
        {{ as_text('email') }} as email,
        {{ as_text('title') }} as title,
        {{ as_text('created_at') }} as created_at,
        {{ parse_bool('_fivetran_deleted') }} as is_soft_deleted,
        {{ as_text('_fivetran_synced') }} as crm_extracted_at
    from lead
),

merge_elements as (
    -- merge_ids is a bracketed list: [1286861] or [1, 2]
    select
        {{ clean_id('lead_id') }} as into_id,
        {{ parse_timestamp('activity_date') }} as merged_at,
        {{ split_into_rows(
            "replace(replace(" ~ as_text('merge_ids') ~ ", '[', ''), ']', '')", ','
        ) }} as element
    from activity_merge_leads
),

deletions as (
    select distinct {{ clean_id('lead_id') }} as contact_id
    from activity_delete_lead
    where {{ clean_id('lead_id') }} is not null
),

ranked_merges as (
    select
        {{ clean_id('element') }} as merged_id,
        into_id,
        row_number() over (
            partition by {{ clean_id('element') }}
            order by merged_at desc nulls last, length(into_id) asc, into_id asc
        ) as merge_rank
    from merge_elements
    where
        {{ clean_id('element') }} is not null
        and into_id is not null
        and {{ clean_id('element') }} <> into_id
        -- a merge into a lead this extract does not know is ignored
        and (
            into_id in (select leads.contact_id from leads)
            or into_id in (select deletions.contact_id from deletions)
            or into_id in (
                select {{ clean_id('merged_elements.element') }}
                from merge_elements as merged_elements
            )
        )
),

merge_pointers as (
    select
        merged_id,
        into_id
    from ranked_merges
    where merge_rank = 1
),

lead_ids as (
    select leads.contact_id from leads
    union
    select merge_pointers.merged_id as contact_id from merge_pointers
    union
    select deletions.contact_id from deletions
),

records as (
    select
        lead_ids.contact_id,
        'lead' as crm_object,
        cast(null as {{ dbt.type_string() }}) as account_id,
        leads.email,
        leads.title,
        cast(null as {{ dbt.type_string() }}) as owner_id,
        leads.created_at,
        (
            coalesce(leads.is_soft_deleted, false)
            or deletions.contact_id is not null
        ) as is_deleted,
        merge_pointers.into_id as merged_into_contact_id,
        -- the push job writes no Marketo field: the CRM's score fields are unknown
        cast(null as {{ dbt.type_string() }}) as crm_score,
        cast(null as {{ dbt.type_string() }}) as crm_recent_score,
        cast(null as {{ dbt.type_string() }}) as crm_score_tier,
        leads.crm_extracted_at
    from lead_ids
    left join leads on lead_ids.contact_id = leads.contact_id
    left join merge_pointers on lead_ids.contact_id = merge_pointers.merged_id
    left join deletions on lead_ids.contact_id = deletions.contact_id
    where lead_ids.contact_id is not null
)

select * from records
