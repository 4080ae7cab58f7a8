"""The domain of the log: event types and their payloads, who may report what, the status rules, and whether a stored event can be folded. Pure: no SQL, no pandas."""
