"""Operations that change the social map. One module per use-case group:

- catalogue: saving activities (sanitising, schedule and search fields), approval, staleness;
- signups: sign-up, cancel, waiting list, attendance;
- imports: reading sources into activities, duplicates, claims.
"""
