"""Reads of the coalition's records that are more than a one-liner."""

# --- partners, working groups, meetings, action items (network) ---

# --- survey, network health, campaigns (health) ---

# --- roadmap, plan of approach, grant applications, experiments (roadmap) ---
