"""Fictional demo records of the coalition, built on the demo region of omzien.core.demo.
Deterministic: the same seed gives the same records; running it again changes nothing."""

# --- partners, working groups, meetings, action items (network) ---

# --- survey, network health, campaigns (health) ---

# --- roadmap, plan of approach, grant applications, experiments (roadmap) ---
