"""Forms of the coalition pages. Every form uses omzien.core.forms.StyledFormMixin for the
NL Design System look."""

# --- partners, working groups, meetings, action items (network) ---

# --- survey, network health, campaigns (health) ---

# --- roadmap, plan of approach, grant applications, experiments (roadmap) ---
