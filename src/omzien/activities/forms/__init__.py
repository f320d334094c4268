"""Forms of the social map, one module per part (search, signups, listings, imports)."""
