"""Stage 3, fields: the words of one activity -> data (windows, targets, units, the reporting cycle)."""
