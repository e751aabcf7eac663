"""Log importers: API logs (JSON lines, CSV/TSV), web-server logs, syslog, other text logs."""
