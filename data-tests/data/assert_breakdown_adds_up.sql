-- Every score can be explained: for every scored contact and window, the
-- lead_score_breakdown rows' points_<N>d add up exactly to
-- lead_scores.points_<N>d (SPEC 3.9). Returns the contacts and windows
-- where they do not.
{%- set windows = score_windows() %}
with lead_scores as (
    select * from {{ ref('lead_scores') }}
),

breakdown as (
    select * from {{ ref('lead_score_breakdown') }}
),

breakdown_sums as (
    select
        contact_id,
        {%- for days in windows %}
            sum(points_{{ days }}d) as points_{{ days }}d{% if not loop.last %},{% endif %}
        {%- endfor %}
    from breakdown
    group by contact_id
),

mismatches as (
    {%- for days in windows %}
        select
            lead_scores.contact_id,
            {{ days }} as window_days,
            lead_scores.points_{{ days }}d as lead_score_points,
            coalesce(breakdown_sums.points_{{ days }}d, 0) as breakdown_points
        from lead_scores
        left join breakdown_sums
            on lead_scores.contact_id = breakdown_sums.contact_id
        where lead_scores.points_{{ days }}d <> coalesce(breakdown_sums.points_{{ days }}d, 0)
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
)

select * from mismatches
