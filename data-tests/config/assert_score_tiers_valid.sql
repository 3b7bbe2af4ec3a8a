-- score_tiers.csv: at least one tier, named, unique names, readable and
-- distinct min_score, and the lowest min_score at or below 0. A contact
-- without activity scores 0: with no tier, or with every tier above 0, it
-- (and every score below the lowest tier) would get score_tier 'none', which
-- no user means. Negative scores below a tier starting at 0 still get 'none'.
with tiers as (
    select * from {{ ref('stg_config__score_tiers') }}
),

problems as (
    select
        {{ dbt.concat([
            "'a tier has no name (min_score '",
            quoted('min_score_text'),
            "')'",
        ]) }} as problem
    from tiers
    where tier is null
    union all
    {{ duplicate_problems('tiers', 'tier', 'tier') }}
    union all
    select
        {{ dbt.concat([
            "'tier '",
            quoted('tier'),
            "': min_score '",
            quoted('min_score_text'),
            "' is not an integer'",
        ]) }}
    from tiers
    where min_score is null
    union all
    select
        {{ dbt.concat([
            "'tiers '",
            ordered_listagg(quoted('tier'), 'tier', "', '"),
            "' share min_score '",
            as_text('min_score'),
        ]) }}
    from tiers
    where min_score is not null
    group by min_score
    having count(*) > 1
    union all
    select 'the file has no tier: every contact would get score_tier none'
    from tiers
    having count(*) = 0
    union all
    select
        {{ dbt.concat([
            "'the lowest tier starts at min_score '",
            as_text('min(min_score)'),
            "': scores from 0 to '",
            as_text('min(min_score) - 1'),
            "' (a contact without activity scores 0) would get score_tier none;"
            ~ " add a tier with min_score 0 or lower'",
        ]) }}
    from tiers
    having min(min_score) > 0
)

{{ fail_naming_problems('problems', 'seeds/score_tiers.csv') }}
