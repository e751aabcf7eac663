"""The case file: schema and migrations, queries, audit log, search. No Qt here."""
