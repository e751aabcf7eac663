"""Extraction analysis: which accounts harvested the model's outputs, and why we say so.

`operation.analyse_extraction` reads the case's log rows once (app/store/log_rows.py),
keeps one small row of features per log row in a temporary table of the connection
(never the rows themselves in memory), works out each account's indicators
(`indicators.py`) and the links between accounts (`clusters.py`), and stores the
findings as case data (app/store/findings.py). Every threshold and weight is in
resources/analysis/default.json, section "extraction".
"""
