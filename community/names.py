"""What Confer calls a person: the name on their profile, or their username when there is none."""

import unicodedata

# Letters that look like Latin ones, so "Наnnаh" (Cyrillic Н and а) cannot pass for "Hannah".
# NFKC already folds full-width and mathematical letters; these are the common cross-script twins.
LOOKALIKES = str.maketrans(
    "абвгдеёзийклмнопрстухьѕіјԁԛԝаеорсухАВЕЗІЈКМНОРСТУХЅԌαβεηικνορτυχγΑΒΕΗΙΚΜΝΟΡΤΥΧΖ",
    "abbrdeeзnnknmhonpcmyxbsijdqwaeopcyxABE3IJKMHOPCTYXSGabenikvoptuxyABEHIKMNOPTYXZ",
)


def name_key(name: str) -> str:
    """What a name looks like to a reader, for telling whether two names could be confused:
    compatibility-normalised, look-alike letters folded to Latin, case and accents dropped, and
    only letters and digits kept (so spaces, dots, zero-width and direction characters vanish)."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name).translate(LOOKALIKES))
    return "".join(ch for ch in folded.casefold() if ch.isalnum())


def clean_name(name: str) -> str:
    """A name as typed, without control or invisible formatting characters (direction overrides,
    zero-width joiners) and with its spaces collapsed."""
    visible = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf", "Co", "Cs"})
    return " ".join(visible.split())


def display_name(user) -> str:
    """``user``'s profile name, else their username (no profile yet, or an empty name).

    Also the ``display_name`` template filter (``{{ someone|display_name }}``).
    """
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile is not None else "") or user.get_username()
