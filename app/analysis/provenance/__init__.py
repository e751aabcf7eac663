"""Output provenance: which model outputs copy which of our logged responses, and how closely;
canary strings and self-identification found in outputs and documents.

`operation.trace_outputs` runs it (candidates.py finds pairs without comparing every
pair, passages.py verifies them word by word, marks.py finds canaries and
self-identification); app/store/provenance_links.py keeps the result as case data.
"""
