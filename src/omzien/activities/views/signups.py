"""Sign-ups: a resident signs up on an activity page, cancels by link; the organiser sees them."""


def signup_block_context(request, activity):
    """What the activity page needs to show the sign-up part (filled in by the sign-up part)."""
    return {}
