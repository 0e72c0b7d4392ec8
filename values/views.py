"""Framework pages (filled in by the frameworks issue)."""
