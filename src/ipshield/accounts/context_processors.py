from ipshield.accounts.selectors import profile_of


def actor(request):
    profile = profile_of(getattr(request, "user", None))
    return {"actor_profile": profile}
