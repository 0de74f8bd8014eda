from ipshield.accounts.selectors import profile_of, unread_notifications


def actor(request):
    user = getattr(request, "user", None)
    return {
        "actor_profile": profile_of(user),
        "unread_notifications": unread_notifications(user=user) if user else 0,
    }
