"""One module per input family; each is a streaming generator of records (app.core.records)."""
