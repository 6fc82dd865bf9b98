"""What Confer calls a person: the name on their profile, or their username when there is none."""


def display_name(user) -> str:
    """``user``'s profile name, else their username (no profile yet, or an empty name).

    Also the ``display_name`` template filter (``{{ someone|display_name }}``).
    """
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile is not None else "") or user.get_username()
