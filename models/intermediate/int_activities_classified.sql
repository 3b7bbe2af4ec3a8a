-- One row per raw activity row: the first reason it is rejected (SPEC 3.1),
-- null for a clean row, and for a clean row its canonical activity type.
-- Every raw row lands here exactly once: cleaned + rejected = raw.
with activities as (
    select * from {{ ref('stg_raw__activities') }}
),

type_map as (
    select distinct
        source_system,
        source_activity_type,
        activity_type
    from {{ ref('stg_config__activity_type_map') }}
),

copies_ranked as (
    -- The copy of an activity_id that is kept is chosen before any other
    -- check: earliest loaded first, then a fixed order on the raw text (blank
    -- as null), the untrimmed id last.
    select
        activities.*,
        row_number() over (
            partition by activities.activity_id
            order by
                activities.loaded_at asc nulls last,
                {{ blank_to_null('activities.raw_occurred_at') }} asc nulls last,
                {{ blank_to_null('activities.raw_contact_id') }} asc nulls last,
                {{ blank_to_null('activities.raw_source_system') }} asc nulls last,
                {{ blank_to_null('activities.raw_activity_type') }} asc nulls last,
                {{ blank_to_null('activities.raw_asset') }} asc nulls last,
                {{ blank_to_null('activities.raw_loaded_at') }} asc nulls last,
                {{ blank_to_null('activities.raw_activity_id') }} asc nulls last
        ) as copy_number
    from activities
),

classified as (
    select
        copies_ranked.raw_activity_id,
        copies_ranked.raw_source_system,
        copies_ranked.raw_activity_type,
        copies_ranked.raw_contact_id,
        copies_ranked.raw_asset,
        copies_ranked.raw_occurred_at,
        copies_ranked.raw_loaded_at,
        copies_ranked.activity_id,
        copies_ranked.contact_id,
        copies_ranked.source_system,
        copies_ranked.source_activity_type,
        copies_ranked.asset,
        copies_ranked.occurred_at,
        copies_ranked.loaded_at,
        type_map.activity_type,
        case
            when copies_ranked.activity_id is null then 'missing_activity_id'
            when copies_ranked.copy_number > 1 then 'duplicate_activity_id'
            when copies_ranked.contact_id is null then 'missing_contact_id'
            when copies_ranked.occurred_at is null then 'invalid_occurred_at'
            when type_map.activity_type is null then 'unknown_activity_type'
        end as reject_reason
    from copies_ranked
    left join type_map
        on
            copies_ranked.source_system = type_map.source_system
            and copies_ranked.source_activity_type = type_map.source_activity_type
)

select * from classified
