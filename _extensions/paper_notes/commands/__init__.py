"""The site's commands that are not builds: ``make post`` and ``make check``."""
