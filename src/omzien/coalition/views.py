"""Coalition pages. Staff views are protected by omzien.core.access.staff_view."""

# --- partners, working groups, meetings, action items (network) ---

# --- survey, network health, campaigns (health) ---

# --- roadmap, plan of approach, grant applications, experiments (roadmap) ---
