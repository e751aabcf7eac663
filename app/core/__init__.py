"""Domain records, timestamps, hashing, taxonomy and mappings. Standard library and dateutil only."""
