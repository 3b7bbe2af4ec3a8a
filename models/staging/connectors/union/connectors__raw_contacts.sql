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
    columns=['contact_id', 'crm_object', 'account_id', 'email', 'title', 'owner_id', 'created_at', 'is_deleted', 'merged_into_contact_id', 'crm_score', 'crm_recent_score', 'crm_score_tier', 'crm_extracted_at'],
    name_column='crm_system',
) }}
