"""What the test modules share and test nothing themselves: building the
project (harness), comparing marts (compare), the hand-written and random
datasets (sync_data, buying_group_data, quality_data, connector_data,
strategies), the stub CRMs (crm_stubs), reading the report and summary back
(report_output), the rows of the reference's own tests (reference_builders)
and a dbt child process stopped at an event (fault_dbt)."""
