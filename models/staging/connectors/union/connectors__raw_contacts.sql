-- One row per lead or contact from the Fivetran connectors that are on (of
-- salesforce, hubspot, marketo), in the raw_contacts contract: what the staging
-- models read in place of raw_contacts while any connector is on. Empty when
-- none of them is on.
-- The CRM's score fields come from the custom fields the vars
-- <connector>_contact_*_field name (docs/connectors.md); null while unset.
-- crm_system: the connector a record comes from (salesforce, hubspot or
-- marketo), the CRM a push writes it to.
-- A table: the staging views read its typed columns many times over.
{{ config(enabled=connectors_on() | length > 0, materialized="table") }}
{{ union_connector_models(
    'contacts', ['salesforce', 'hubspot', 'marketo'],
    columns=raw_source_columns('raw_contacts').columns | reject('equalto', 'crm_system') | list,
    name_column='crm_system',
) }}
