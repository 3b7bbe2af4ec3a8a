-- One row per HubSpot deal, in the raw_opportunities contract: its account is
-- its associated company (the lowest company id when several); won and closed
-- from HubSpot's calculated properties hs_is_closed_won and hs_is_closed
-- (false when not synced); created_at from property_createdate (when the deal
-- was created, SPEC 3.12).
{{ config(enabled=connector_on('hubspot')) }}
with deal as (
    {{ select_connector_columns('hubspot', 'deal', [
        'deal_id', 'property_amount', 'property_dealstage',
        'property_closedate', 'property_createdate', 'property_hs_is_closed',
        'property_hs_is_closed_won', 'is_deleted', '_fivetran_deleted',
        '_fivetran_active',
    ]) }}
),

deal_company as (
    {{ select_connector_columns('hubspot', 'deal_company', [
        'deal_id', 'company_id',
    ]) }}
),

deal_companies as (
    select
        {{ clean_id('deal_id') }} as deal_id,
        {{ clean_id('company_id') }} as company_id,
        row_number() over (
            partition by {{ clean_id('deal_id') }}
            order by
                length({{ clean_id('company_id') }}) asc,
                {{ clean_id('company_id') }} asc
        ) as company_rank
    from deal_company
),

opportunities as (
    select
        {{ clean_id('deal.deal_id') }} as opportunity_id,
        deal_companies.company_id as account_id,
        {{ as_text('deal.property_amount') }} as amount,
        {{ as_text('deal.property_dealstage') }} as stage,
        {{ parse_bool('deal.property_hs_is_closed') }} as is_closed,
        {{ parse_bool('deal.property_hs_is_closed_won') }} as is_won,
        {{ as_text('deal.property_closedate') }} as close_date,
        {{ fivetran_is_deleted('deal.is_deleted') }} as is_deleted,
        {{ as_text('deal.property_createdate') }} as created_at
    from deal
    left join deal_companies
        on
            {{ clean_id('deal.deal_id') }} = deal_companies.deal_id
            and deal_companies.company_rank = 1
)

select * from opportunities
