"""Background work of the coalition app, run by the task worker."""

# --- partners, working groups, meetings, action items (network) ---
