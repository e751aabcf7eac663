"""Exhibit bundles: planning (pure), rendering (reportlab, pypdf), load files, privilege log."""
