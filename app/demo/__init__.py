"""The demo case: a fictional distillation dispute, generated deterministically.

`build.build_demo(DIR)` writes the inputs under `DIR/inputs/` and the case as
`DIR/demo.casefile`, imported through the ordinary pipeline and partly tagged. Every
name in it is invented: the lab "Northwind AI", the competitor "Example Dynamics",
their people and their customers; addresses use the reserved `.example` domains and
IP addresses come from the documentation ranges (RFC 5737).
"""
