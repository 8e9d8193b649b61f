"""Search: the published posts indexed by Pagefind, in bundles."""
