-- raw_contacts merges: every merge chain must end at a contact that is not
-- itself merged, within var max_merge_chain_hops (a loop never does). A
-- chain that ends at a record outside the extract is not an error here:
-- data-tests/data/warn_merges_outside_extract.sql warns about it.
with survivors as (
    select * from {{ ref('int_contact_survivors') }}
),

contacts as (
    select * from {{ ref('stg_raw__contacts') }}
),

problems as (
    select
        {{ dbt.concat([
            "'contact '", quoted('survivors.contact_id'),
            "' (merged into '", quoted('contacts.merged_into_contact_id'),
            "') has no survivor: its merge chain loops or is longer than '",
            "'" ~ number_var('max_merge_chain_hops', integer=true, min_value=1) ~ "'", "' hops'",
        ]) }} as problem
    from survivors
    inner join contacts
        on survivors.contact_id = contacts.contact_id
    where
        not survivors.has_valid_survivor
        and not survivors.ends_outside_extract
)

{{ fail_naming_problems('problems', 'raw_contacts merge chains') }}
