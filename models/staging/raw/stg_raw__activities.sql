-- One row per raw activity row, as loaded (duplicates and bad rows included):
-- the raw text kept for the quarantine, normalised and parsed columns beside it.
with source as (
    {{ select_raw_columns('raw_activities') }}
),

renamed as (
    select
        -- raw text, untouched, for rejected_activities
        {{ as_text('activity_id') }} as raw_activity_id,
        {{ as_text('source_system') }} as raw_source_system,
        {{ as_text('activity_type') }} as raw_activity_type,
        {{ as_text('contact_id') }} as raw_contact_id,
        {{ as_text('asset') }} as raw_asset,
        {{ as_text('occurred_at') }} as raw_occurred_at,
        {{ as_text('loaded_at') }} as raw_loaded_at,
        -- ids, codes, text (blank is null) and UTC timestamps
        {{ staged_activity_columns('') }}
    from source
)

select * from renamed
