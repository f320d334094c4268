"""The social map's pages, one module per part: search (public and professional), sign-ups,
providers' own listings, imports, and sharing (feeds, exports, printed guide)."""
