from ipshield.accounts.selectors import profile_of, unread_notifications


def actor(request):
    user = getattr(request, "user", None)
    profile = profile_of(user)
    return {
        "actor_profile": profile,
        "unread_notifications": unread_notifications(user=user) if user else 0,
        # the work inbox's count, for staff pages (computed only when a template asks)
        "inbox_count": lambda: _inbox_count(user, profile),
    }


def _inbox_count(user, profile) -> int:
    from ipshield.common.inbox import count_for

    if profile is None or not profile.is_staff_member:
        return 0
    return count_for(user)
