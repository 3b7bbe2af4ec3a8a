-- lead_scores (SPEC 3.4, default windows 30/90/365, score = 365 days,
-- recent_score = 30 days) as one hand-written DuckDB statement: the baseline
-- the benchmark holds `dbt build` against. Written independently of the dbt
-- models, from SPEC.md and docs/semantics.md; free to use DuckDB-only syntax.
--
-- Placeholders, filled in by bench/run_handwritten.py:
--   ${RAW_SCHEMA}  schema of the raw tables
--   ${AS_OF}       scoring date, YYYY-MM-DD
--   ${SEEDS}       directory of the configuration seeds (scoring_rules.csv,
--                  activity_type_map.csv, score_tiers.csv)
-- The statement is a query; the runner wraps it in `create table ... as`.
with recursive
-- ---------------------------------------------------------------- configuration
rules as (
    select
        nullif(trim(rule_id), '') as rule_id,
        nullif(lower(trim(activity_type)), '') as activity_type,
        case when trim(asset_pattern) = '' then null else asset_pattern end as asset_pattern,
        nullif(trim(category), '') as category,
        try_cast(nullif(trim(points), '') as bigint) as points,
        try_cast(nullif(trim(priority), '') as bigint) as priority,
        coalesce(lower(trim(once_per_asset)) in ('true', '1', 't', 'yes'), false) as once_per_asset,
        try_cast(nullif(trim(max_points_per_day), '') as bigint) as max_points_per_day
    from read_csv('${SEEDS}/scoring_rules.csv', header = true, all_varchar = true)
    where coalesce(lower(trim(is_active)), '') in ('true', '1', 't', 'yes')
),

rule_set as (
    select md5(coalesce(string_agg(
        concat_ws('|',
            coalesce(rule_id, ''), coalesce(activity_type, ''), coalesce(asset_pattern, ''),
            coalesce(category, ''), coalesce(cast(points as varchar), ''),
            coalesce(cast(priority as varchar), ''),
            case when once_per_asset then 'true' else 'false' end,
            coalesce(cast(max_points_per_day as varchar), '')),
        ';' order by rule_id), '')) as rule_set_version
    from rules
),

type_map as (
    select distinct
        nullif(lower(trim(source_system)), '') as source_system,
        nullif(lower(trim(source_activity_type)), '') as source_code,
        nullif(lower(trim(activity_type)), '') as activity_type
    from read_csv('${SEEDS}/activity_type_map.csv', header = true, all_varchar = true)
),

tiers as (
    select nullif(trim(tier), '') as tier, cast(trim(min_score) as bigint) as min_score
    from read_csv('${SEEDS}/score_tiers.csv', header = true, all_varchar = true)
),

-- ---------------------------------------------------------------- identity
accounts as (
    select
        nullif(trim(cast(account_id as varchar)), '') as account_id,
        coalesce(lower(trim(cast(is_person_account as varchar))) in ('true', '1', 't', 'yes'), false)
            as is_person_account,
        coalesce(lower(trim(cast(is_deleted as varchar))) in ('true', '1', 't', 'yes'), false)
            as is_deleted
    from ${RAW_SCHEMA}.raw_accounts
),

contacts as (
    select
        nullif(trim(cast(contact_id as varchar)), '') as contact_id,
        nullif(lower(trim(cast(crm_object as varchar))), '') as crm_object,
        nullif(trim(cast(account_id as varchar)), '') as account_id,
        nullif(trim(cast(owner_id as varchar)), '') as owner_id,
        coalesce(lower(trim(cast(is_deleted as varchar))) in ('true', '1', 't', 'yes'), false)
            as is_deleted,
        nullif(trim(cast(merged_into_contact_id as varchar)), '') as merged_into
    from ${RAW_SCHEMA}.raw_contacts
),

scored_contacts as (
    select
        contacts.contact_id,
        contacts.crm_object,
        contacts.account_id,
        contacts.owner_id,
        coalesce(accounts.is_person_account, false) as is_person_account
    from contacts
    left join accounts using (account_id)
    where contacts.contact_id is not null
        and not contacts.is_deleted
        and contacts.merged_into is null
        and not coalesce(accounts.is_deleted, false)
),

-- survivor of every contact whose merge chain ends at an unmerged contact
-- (loops and chains to unknown ids never reach one: they count for no one)
walk (contact_id, survivor_id) as (
    select contact_id, contact_id
    from contacts
    where contact_id is not null and merged_into is null
    union all
    select merged.contact_id, walk.survivor_id
    from contacts as merged
    inner join walk on merged.merged_into = walk.contact_id
),

survivors as (
    select walk.contact_id, walk.survivor_id
    from walk
    inner join scored_contacts on walk.survivor_id = scored_contacts.contact_id
),

-- ---------------------------------------------------------------- activities
-- Profiled at 10 M rows (bench/README.md, "The hand-written statement"): a
-- regex split of every timestamp and a window sort of every row by its raw
-- text took two thirds of the time. Here the common UTC shapes go straight to
-- the timestamp cast (the regex split only for the other shapes), and only
-- the copies of repeated ids are ranked. The CTEs read more than once are
-- `not materialized`: reading the raw table again costs less than holding
-- every parsed row.
repeated_ids as (
    select nullif(trim(activity_id), '') as activity_id
    from ${RAW_SCHEMA}.raw_activities
    group by 1
    having count(*) > 1
),

-- each raw row once, marked when its id is repeated (the filters on the mark
-- below reach these two branches, so each row is parsed once)
raw_marked as not materialized (
    select
        raw_activities.*,
        false as is_repeated
    from ${RAW_SCHEMA}.raw_activities as raw_activities
    left join repeated_ids on nullif(trim(raw_activities.activity_id), '') = repeated_ids.activity_id
    where repeated_ids.activity_id is null
    union all
    select
        raw_activities.*,
        true as is_repeated
    from ${RAW_SCHEMA}.raw_activities as raw_activities
    inner join repeated_ids on nullif(trim(raw_activities.activity_id), '') = repeated_ids.activity_id
),

raw_rows as not materialized (
    select
        is_repeated,
        nullif(trim(activity_id), '') as activity_id,
        nullif(trim(contact_id), '') as contact_id,
        nullif(lower(trim(source_system)), '') as source_system,
        nullif(lower(trim(activity_type)), '') as source_code,
        case when trim(asset) = '' then null else asset end as asset,
        case
            when regexp_full_match(occurred_at, '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:[.][0-9]{1,9})?(?:Z| UTC)?')
                then try_cast(occurred_at as timestamp)
        end as occurred_at_fast,
        -- ISO-8601 text: date, optional time, optional Z / UTC / offset (one
        -- regex pass, groups as a struct), only for the other shapes
        case
            when not regexp_full_match(occurred_at, '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:[.][0-9]{1,9})?(?:Z| UTC)?')
                then regexp_extract(upper(trim(occurred_at)),
                    '^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ]([0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.][0-9]{1,6})?)?))? *(?:Z|UTC|([-+])([0-9]{2})(?::?([0-9]{2}))?)?$',
                    ['d', 't', 'sign', 'oh', 'om'])
        end as occurred_at_parts,
        case
            when regexp_full_match(loaded_at, '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:[.][0-9]{1,9})?(?:Z| UTC)?')
                then try_cast(loaded_at as timestamp)
        end as loaded_at_fast,
        -- ISO-8601 text: date, optional time, optional Z / UTC / offset (one
        -- regex pass, groups as a struct), only for the other shapes
        case
            when not regexp_full_match(loaded_at, '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:[.][0-9]{1,9})?(?:Z| UTC)?')
                then regexp_extract(upper(trim(loaded_at)),
                    '^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ]([0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.][0-9]{1,6})?)?))? *(?:Z|UTC|([-+])([0-9]{2})(?::?([0-9]{2}))?)?$',
                    ['d', 't', 'sign', 'oh', 'om'])
        end as loaded_at_parts,
        occurred_at as occurred_text,
        loaded_at as loaded_text,
        contact_id as contact_text,
        source_system as source_system_text,
        activity_type as activity_type_text
    from raw_marked
),

parsed as not materialized (
    select
        raw_rows.* exclude (occurred_at_fast, occurred_at_parts, loaded_at_fast, loaded_at_parts),
        coalesce(occurred_at_fast, case when occurred_at_parts.d <> '' then
            try_cast(occurred_at_parts.d || ' ' || case when occurred_at_parts.t = '' then '00:00:00'
                                                 when length(occurred_at_parts.t) = 5 then occurred_at_parts.t || ':00'
                                                 else occurred_at_parts.t end as timestamp)
            - to_minutes(cast(case when occurred_at_parts.sign = '-' then -1 else 1 end
                              * (coalesce(try_cast(nullif(occurred_at_parts.oh, '') as integer), 0) * 60
                                 + coalesce(try_cast(nullif(occurred_at_parts.om, '') as integer), 0)) as bigint))
        end) as occurred_at,
        coalesce(loaded_at_fast, case when loaded_at_parts.d <> '' then
            try_cast(loaded_at_parts.d || ' ' || case when loaded_at_parts.t = '' then '00:00:00'
                                                 when length(loaded_at_parts.t) = 5 then loaded_at_parts.t || ':00'
                                                 else loaded_at_parts.t end as timestamp)
            - to_minutes(cast(case when loaded_at_parts.sign = '-' then -1 else 1 end
                              * (coalesce(try_cast(nullif(loaded_at_parts.oh, '') as integer), 0) * 60
                                 + coalesce(try_cast(nullif(loaded_at_parts.om, '') as integer), 0)) as bigint))
        end) as loaded_at
    from raw_rows
),

-- one kept copy per activity_id: earliest loaded, then the raw text (blank
-- as null, nulls last); ids that occur once need no ranking
kept as (
    select parsed.*
    from parsed
    where parsed.activity_id is not null and not parsed.is_repeated
    union all
    select * exclude (copy_number)
    from (
        select
            parsed.*,
            row_number() over (
                partition by parsed.activity_id
                order by parsed.loaded_at asc nulls last,
                         case when trim(parsed.occurred_text) = '' then null else parsed.occurred_text end
                             asc nulls last,
                         case when trim(parsed.contact_text) = '' then null else parsed.contact_text end
                             asc nulls last,
                         case when trim(parsed.source_system_text) = '' then null
                              else parsed.source_system_text end asc nulls last,
                         case when trim(parsed.activity_type_text) = '' then null
                              else parsed.activity_type_text end asc nulls last,
                         parsed.asset asc nulls last,
                         case when trim(parsed.loaded_text) = '' then null else parsed.loaded_text end
                             asc nulls last
            ) as copy_number
        from parsed
        where parsed.is_repeated
    ) as ranked
    where copy_number = 1
),

-- clean activities attributed to the scored survivor they count for
attributed as (
    select
        survivors.survivor_id,
        type_map.activity_type,
        kept.asset,
        kept.occurred_at,
        cast(kept.occurred_at as date) as activity_date
    from kept
    inner join type_map
        on kept.source_system = type_map.source_system and kept.source_code = type_map.source_code
    inner join survivors on kept.contact_id = survivors.contact_id
    where kept.occurred_at is not null
),

-- ---------------------------------------------------------------- points
-- the winning rule per distinct (type, asset): highest priority, then smallest id
winners as (
    select activity_type, asset, rule_id, points, once_per_asset, max_points_per_day
    from (select distinct activity_type, asset from attributed) as pairs
    inner join rules using (activity_type)
    where rules.asset_pattern is null or lower(pairs.asset) like lower(rules.asset_pattern)
    qualify row_number() over (
        partition by activity_type, asset order by priority desc, rule_id asc
    ) = 1
),

won as (
    select attributed.*, winners.rule_id, winners.points, winners.once_per_asset,
           winners.max_points_per_day
    from attributed
    inner join winners
        on attributed.activity_type = winners.activity_type
        and attributed.asset is not distinct from winners.asset
),

-- once_per_asset: only the first occurrence ever of (survivor, rule, asset)
-- pays, on its own date; other rules pay every activity
earned as (
    select survivor_id, rule_id, activity_date, points, max_points_per_day
    from won
    where not once_per_asset
    union all
    select survivor_id, rule_id, cast(min(occurred_at) as date), any_value(points),
           any_value(max_points_per_day)
    from won
    where once_per_asset
    group by survivor_id, rule_id, asset
),

daily as (
    select
        survivor_id,
        activity_date,
        case when any_value(max_points_per_day) is not null
                  and sum(points) > any_value(max_points_per_day)
             then any_value(max_points_per_day) else sum(points) end as points
    from earned
    where activity_date between date '${AS_OF}' - 364 and date '${AS_OF}'
    group by survivor_id, rule_id, activity_date
),

windows as (
    select
        survivor_id,
        coalesce(sum(points) filter (where activity_date >= date '${AS_OF}' - 29), 0) as points_30d,
        coalesce(sum(points) filter (where activity_date >= date '${AS_OF}' - 89), 0) as points_90d,
        sum(points) as points_365d
    from daily
    group by survivor_id
),

last_activity as (
    select survivor_id, max(occurred_at) as last_activity_at
    from attributed
    where activity_date <= date '${AS_OF}'
    group by survivor_id
),

-- ---------------------------------------------------------------- lead scores
totals as (
    select
        scored_contacts.*,
        coalesce(windows.points_30d, 0) as points_30d,
        coalesce(windows.points_90d, 0) as points_90d,
        coalesce(windows.points_365d, 0) as points_365d,
        last_activity.last_activity_at,
        -- exact (recent / 30) / (score / 365), half away from zero, 4 places
        case when coalesce(windows.points_365d, 0) > 0 then
            cast(cast(sign(windows.points_30d * 365)
                      * ((2 * abs(windows.points_30d * 365) * 10000 + windows.points_365d * 30)
                         // (2 * windows.points_365d * 30)) as decimal(38, 0)) * 0.0001
                 as decimal(18, 4))
        end as trend_ratio
    from scored_contacts
    left join windows on scored_contacts.contact_id = windows.survivor_id
    left join last_activity on scored_contacts.contact_id = last_activity.survivor_id
)

select
    totals.contact_id,
    totals.crm_object,
    totals.account_id,
    totals.owner_id,
    totals.is_person_account,
    cast(totals.points_30d as bigint) as points_30d,
    cast(totals.points_90d as bigint) as points_90d,
    cast(totals.points_365d as bigint) as points_365d,
    cast(totals.points_365d as bigint) as score,
    cast(totals.points_30d as bigint) as recent_score,
    coalesce(tiers.tier, 'none') as score_tier,
    cast(rank() over (order by totals.points_365d desc) as bigint) as score_rank,
    cast(rank() over (partition by totals.owner_id order by totals.points_365d desc) as bigint)
        as owner_score_rank,
    totals.last_activity_at,
    cast(date_diff('day', cast(totals.last_activity_at as date), date '${AS_OF}') as bigint)
        as days_since_last_activity,
    totals.trend_ratio,
    case when totals.trend_ratio is null then 'inactive'
         when totals.trend_ratio >= 1.25 then 'rising'
         when totals.trend_ratio <= 0.75 then 'falling'
         else 'steady' end as engagement_trend,
    rule_set.rule_set_version,
    date '${AS_OF}' as as_of_date
from totals
asof left join tiers on totals.points_365d >= tiers.min_score
cross join rule_set
