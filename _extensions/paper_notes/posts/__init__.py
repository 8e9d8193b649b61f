"""Posts: front matter, drafts, dates, excerpts, reading time, taxonomy pages, the frame around each post."""
