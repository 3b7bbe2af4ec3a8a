-- One row per HubSpot contact id, in the raw_contacts contract. Merges come
-- from contact_merge_audit (vid_to_merge merged into canonical_vid) and from
-- each contact's own list of merged ids (property_hs_merged_object_ids,
-- `id;id`, or the older property_hs_calculated_merged_vids, `id:time;...`).
-- A merged id has one surviving contact: the latest audited merge, else the
-- lowest listing id. A merged id without its own row gets one (a merge stub:
-- not scored, its form submissions count for the survivor). A merge into a
-- contact that is neither in the contact table nor merged itself is ignored.
-- The CRM's score fields come from the contact properties the vars
-- hubspot_contact_*_field name (null while unset).
{{ config(enabled=connector_on('hubspot')) }}
with contact as (
    {{ select_connector_columns('hubspot', 'contact', with_crm_field_columns([
        'id', 'property_email', 'property_jobtitle',
        'property_hubspot_owner_id', 'property_associatedcompanyid',
        'property_createdate', 'property_hs_merged_object_ids',
        'property_hs_calculated_merged_vids', 'is_deleted',
        '_fivetran_deleted', '_fivetran_active', '_fivetran_synced',
    ], [
        'hubspot_contact_score_field', 'hubspot_contact_recent_score_field',
        'hubspot_contact_score_tier_field',
    ]), required=true) }}
),

contact_merge_audit as (
    {{ select_connector_columns('hubspot', 'contact_merge_audit', [
        'canonical_vid', 'vid_to_merge', 'timestamp',
    ]) }}
),

contacts as (
    select
        {{ clean_id('id') }} as contact_id,
        {{ as_text('property_email') }} as email,
        {{ as_text('property_jobtitle') }} as title,
        {{ as_text('property_hubspot_owner_id') }} as owner_id,
        {{ as_text('property_associatedcompanyid') }} as account_id,
        {{ as_text('property_createdate') }} as created_at,
        {{ fivetran_is_deleted('is_deleted') }} as is_deleted,
        {{ crm_field('hubspot_contact_score_field') }} as crm_score,
        {{ crm_field('hubspot_contact_recent_score_field') }} as crm_recent_score,
        {{ crm_field('hubspot_contact_score_tier_field') }} as crm_score_tier,
        {{ as_text('_fivetran_synced') }} as crm_extracted_at,
        {{ dbt.concat([
            "coalesce(" ~ as_text('property_hs_merged_object_ids') ~ ", '')",
            "';'",
            "coalesce(" ~ as_text('property_hs_calculated_merged_vids') ~ ", '')",
        ]) }} as merged_id_list
    from contact
),

listed_elements as (
    select
        contact_id as into_id,
        {{ split_into_rows('merged_id_list', ';') }} as element
    from contacts
),

listed_merges as (
    -- `id` or `id:timestamp`: the id before the colon
    select
        {{ clean_id(dbt.split_part('element', "':'", 1)) }} as merged_id,
        into_id,
        cast(null as {{ dbt.type_timestamp() }}) as merged_at
    from listed_elements
),

audited_merges as (
    select
        {{ clean_id('vid_to_merge') }} as merged_id,
        {{ clean_id('canonical_vid') }} as into_id,
        {{ parse_timestamp('timestamp') }} as merged_at
    from contact_merge_audit
),

all_merges as (
    select * from audited_merges
    union all
    select * from listed_merges
),

known_merges as (
    select
        merged_id,
        into_id,
        merged_at
    from all_merges
    where
        merged_id is not null
        and into_id is not null
        and merged_id <> into_id
        and (
            into_id in (select contacts.contact_id from contacts)
            or into_id in (select merged_ids.merged_id from all_merges as merged_ids)
        )
),

ranked_merges as (
    select
        merged_id,
        into_id,
        row_number() over (
            partition by merged_id
            order by merged_at desc nulls last, length(into_id) asc, into_id asc
        ) as merge_rank
    from known_merges
),

merge_pointers as (
    select
        merged_id,
        into_id
    from ranked_merges
    where merge_rank = 1
),

contact_rows as (
    select
        contacts.contact_id,
        'contact' as crm_object,
        contacts.account_id,
        contacts.email,
        contacts.title,
        contacts.owner_id,
        contacts.created_at,
        contacts.is_deleted,
        merge_pointers.into_id as merged_into_contact_id,
        contacts.crm_score,
        contacts.crm_recent_score,
        contacts.crm_score_tier,
        contacts.crm_extracted_at
    from contacts
    left join merge_pointers
        on contacts.contact_id = merge_pointers.merged_id
),

merge_stubs as (
    select
        merge_pointers.merged_id as contact_id,
        'contact' as crm_object,
        cast(null as {{ dbt.type_string() }}) as account_id,
        cast(null as {{ dbt.type_string() }}) as email,
        cast(null as {{ dbt.type_string() }}) as title,
        cast(null as {{ dbt.type_string() }}) as owner_id,
        cast(null as {{ dbt.type_string() }}) as created_at,
        false as is_deleted,
        merge_pointers.into_id as merged_into_contact_id,
        cast(null as {{ dbt.type_string() }}) as crm_score,
        cast(null as {{ dbt.type_string() }}) as crm_recent_score,
        cast(null as {{ dbt.type_string() }}) as crm_score_tier,
        cast(null as {{ dbt.type_string() }}) as crm_extracted_at
    from merge_pointers
    where merge_pointers.merged_id not in (
        select contacts.contact_id from contacts
        where contacts.contact_id is not null
    )
),

records as (
    select * from contact_rows
    union all
    select * from merge_stubs
)

select * from records
