"""Coding beyond the tag panel's basics: keys for every category (not only the first
nine), and the panel as a compact grid of checkboxes."""
