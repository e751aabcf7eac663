"""Document importers: PDF, plain text and Markdown, images."""
