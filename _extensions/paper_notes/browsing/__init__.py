"""Browsing across notes: backlinks, related notes, previews of what a link leads to."""
