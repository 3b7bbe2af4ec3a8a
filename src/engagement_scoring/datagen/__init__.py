"""The data generators: ``sample`` writes the bundled sample seeds, ``scale``
writes raw tables of any size into DuckDB; ``common`` is what they share."""
