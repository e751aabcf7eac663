"""Chat exports: Slack workspaces and other tools' message records, as `conversation` items."""
