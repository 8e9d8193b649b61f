"""Page weight: each page loads only what it shows (MathML, scripts, icons, static files)."""
