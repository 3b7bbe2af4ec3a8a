-- grading_criteria.csv (SPEC 3.8): every criterion named and named once, a
-- known field (title, email_domain, industry, crm_object), whole grade steps
-- in range (match_thirds -3 ... 3 and not 0; mismatch_thirds 0 ... 3) and at
-- least one non-blank pattern. Inactive rows are checked too: activating
-- one must not break the build.
with criteria as (
    select * from {{ ref('stg_config__grading_criteria') }}
),

criteria_with_patterns as (
    select distinct criterion_id
    from {{ ref('int_grading_patterns') }}
),

inactive_with_patterns as (
    -- int_grading_patterns splits active criteria only: an inactive one has
    -- a pattern when its text holds anything but separators and spaces
    select criterion_id
    from criteria
    where
        not is_active
        and {{ regex_group('patterns', '([^| ])', 1) }} <> ''
),

problems as (
    select
        {{ dbt.concat([
            "'a criterion has no criterion_id (field '",
            quoted('field_text'),
            "')'",
        ]) }} as problem
    from criteria
    where criterion_id is null
    union all
    {{ duplicate_problems('criteria', 'criterion_id', 'criterion') }}
    union all
    select
        {{ dbt.concat([
            "'criterion '",
            quoted('criterion_id'),
            "': field '",
            quoted('field_text'),
            "' is not one of title, email_domain, industry, crm_object'",
        ]) }}
    from criteria
    where coalesce(field, '') not in ('title', 'email_domain', 'industry', 'crm_object')
    union all
    select
        {{ dbt.concat([
            "'criterion '",
            quoted('criterion_id'),
            "': match_thirds '",
            quoted('match_thirds_text'),
            "' is not a whole number from -3 to 3 other than 0'",
        ]) }}
    from criteria
    where match_thirds is null or match_thirds = 0 or match_thirds not between -3 and 3
    union all
    select
        {{ dbt.concat([
            "'criterion '",
            quoted('criterion_id'),
            "': mismatch_thirds '",
            quoted('mismatch_thirds_text'),
            "' is not a whole number from 0 to 3'",
        ]) }}
    from criteria
    where mismatch_thirds is null or mismatch_thirds not between 0 and 3
    union all
    select {{ dbt.concat(["'criterion '", quoted('criteria.criterion_id'), "' has no pattern'"]) }}
    from criteria
    left join criteria_with_patterns
        on criteria.criterion_id = criteria_with_patterns.criterion_id
    left join inactive_with_patterns
        on criteria.criterion_id = inactive_with_patterns.criterion_id
    where
        criteria_with_patterns.criterion_id is null
        and inactive_with_patterns.criterion_id is null
)

{{ fail_naming_problems('problems', 'seeds/grading_criteria.csv') }}
