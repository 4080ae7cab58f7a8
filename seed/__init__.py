"""Plan documents (方案) -> activities: the parser, the unit registry, the importer and demo data.

The reading side (parser, windows, units, targets, cli_parse) is pure and touches no database,
so a notice can be checked with ``python -m seed parse FILE`` before anything is imported.
"""
