"""This project's conventions as dbt-score rules (see pyproject.toml, [tool.dbt-score])."""
