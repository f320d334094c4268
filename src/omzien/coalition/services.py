"""Operations that change the coalition's records. Each runs in one transaction and records an
audit event through omzien.core.services.record_audit_event."""

# --- partners, working groups, meetings, action items (network) ---

# --- survey, network health, campaigns (health) ---

# --- roadmap, plan of approach, grant applications, experiments (roadmap) ---
