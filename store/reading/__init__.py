"""The read side: the log folded into frames (the projector, its per-stream cells and their snapshots), the event list queried in SQL, and the 督办 loop's projections."""
