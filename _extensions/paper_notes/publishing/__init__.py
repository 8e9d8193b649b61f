"""Publishing: feeds, the sitemap, page metadata, old addresses, the 404 page."""
