-- One row per contact id in raw_contacts or named as a merge target: the
-- survivor its activities count for, found by following merged_into_contact_id
-- (A -> B -> C: A counts for C). The chain is followed by pointer doubling,
-- 2^k hops after k self-joins, so long chains cost a few joins, not one each.
-- Only merged records and the records they point at take part in the
-- doubling; every other contact is its own survivor.
-- has_valid_survivor is false for a loop, a chain longer than
-- var max_merge_chain_hops, or a chain ending at an unknown contact;
-- ends_outside_extract tells the last apart: the chain ends at a record the
-- extract does not hold (a merge the loader saw, of a survivor it did not
-- bring), which a test warns about, while a loop or an endless chain fails
-- the build.
{%- set max_hops = number_var('max_merge_chain_hops', integer=true, min_value=1) -%}
{%- set doubling = namespace(rounds=0) -%}
{%- for _ in range(64) -%}
    {%- if 2 ** doubling.rounds < max_hops -%}
        {%- set doubling.rounds = doubling.rounds + 1 -%}
    {%- endif -%}
{%- endfor %}
with contacts as (
    select * from {{ ref('stg_raw__contacts') }}
),

known_contacts as (
    select distinct
        contact_id,
        merged_into_contact_id
    from contacts
    where contact_id is not null
),

unknown_targets as (
    select distinct known_contacts.merged_into_contact_id as contact_id
    from known_contacts
    left join known_contacts as targets
        on known_contacts.merged_into_contact_id = targets.contact_id
    where
        known_contacts.merged_into_contact_id is not null
        and targets.contact_id is null
),

merge_targets as (
    select distinct merged_into_contact_id as contact_id
    from known_contacts
    where merged_into_contact_id is not null
),

chained_contacts as (
    -- the contacts on some merge chain: merged records and merge targets
    select known_contacts.contact_id
    from known_contacts
    where known_contacts.merged_into_contact_id is not null
    union
    select contact_id from merge_targets
),

hops_1 as (
    -- one hop along a chain: a record's parent is what it was merged into, a
    -- root is its own parent
    select
        known_contacts.contact_id,
        coalesce(
            known_contacts.merged_into_contact_id, known_contacts.contact_id
        ) as reached_contact_id
    from known_contacts
    inner join merge_targets
        on known_contacts.contact_id = merge_targets.contact_id
    where known_contacts.merged_into_contact_id is null
    union all
    select
        contact_id,
        merged_into_contact_id as reached_contact_id
    from known_contacts
    where merged_into_contact_id is not null
    union all
    select
        contact_id,
        contact_id as reached_contact_id
    from unknown_targets
),
{% for round in range(1, doubling.rounds + 1) %}
    hops_{{ 2 ** round }} as (
        {{ compose_merge_hops('hops_' ~ 2 ** (round - 1)) }}
    ),
{% endfor %}
chain_survivors as (
    select
        hops.contact_id,
        hops.reached_contact_id as survivor_contact_id,
        coalesce(
            survivor.contact_id is not null
            and survivor.merged_into_contact_id is null,
            false
        ) as has_valid_survivor,
        survivor.contact_id is null as ends_outside_extract
    from hops_{{ 2 ** doubling.rounds }} as hops
    left join known_contacts as survivor
        on hops.reached_contact_id = survivor.contact_id
),

survivors as (
    select * from chain_survivors
    union all
    -- neither merged nor a merge target: its own survivor
    select
        known_contacts.contact_id,
        known_contacts.contact_id as survivor_contact_id,
        true as has_valid_survivor,
        false as ends_outside_extract
    from known_contacts
    left join chained_contacts
        on known_contacts.contact_id = chained_contacts.contact_id
    where chained_contacts.contact_id is null
)

select * from survivors
