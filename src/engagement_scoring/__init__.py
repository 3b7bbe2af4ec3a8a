"""engagement_scoring's Python side: the tools around the dbt project.

The scoring itself is the dbt project's SQL. This package holds the command
line (:mod:`engagement_scoring.cli`, ``engagement-scoring --help``), the data
generators, the summary and report of a build, the benchmark, the reference
push job and the one declaration of the tables they all read and write
(:mod:`engagement_scoring.tables`).
"""
