-- A select of (contact_id, reached_contact_id): the merge hops of relation/CTE
-- `hops` followed twice (hops joined to itself: A reaches B and B reaches C
-- gives A reaches C, once per such pair of rows). int_contact_survivors
-- doubles its hops this way.
{% macro compose_merge_hops(hops) -%}
    {{ return(adapter.dispatch('compose_merge_hops', 'engagement_scoring')(hops)) }}
{%- endmacro %}

{% macro default__compose_merge_hops(hops) -%}
    select
        near.contact_id,
        far.reached_contact_id
    from {{ hops }} as near
    inner join {{ hops }} as far
        on near.reached_contact_id = far.contact_id
{%- endmacro %}

-- Spark inlines a CTE at each reference, so the self-join above copies every
-- earlier round twice: 32 copies of the first hops for 32 hops, and about a
-- hundred shuffles on any data. Here `hops` is read once: each row is listed
-- under the contact it arrives at and under the contact it leaves from, and
-- every arrival at a contact is paired with every departure from it, which is
-- the same join, row for row.
{% macro spark__compose_merge_hops(hops) -%}
    select
        arrivals.contact_id,
        departures.reached_contact_id
    from (
        select
            collect_list(case when ends.is_arrival then ends.other_contact_id end) as arrived_from,
            collect_list(case when not ends.is_arrival then ends.other_contact_id end) as departs_to
        from (
            select inline(array(
                named_struct('at_contact_id', reached_contact_id, 'is_arrival', true, 'other_contact_id', contact_id),
                named_struct('at_contact_id', contact_id, 'is_arrival', false, 'other_contact_id', reached_contact_id)
            ))
            from {{ hops }}
        ) as ends
        group by ends.at_contact_id
    ) as by_contact
    lateral view explode(by_contact.arrived_from) arrivals as contact_id
    lateral view explode(by_contact.departs_to) departures as reached_contact_id
{%- endmacro %}
