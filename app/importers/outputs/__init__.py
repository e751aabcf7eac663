"""Model-output importers: prompt/response records and chat transcripts."""
