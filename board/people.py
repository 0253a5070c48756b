"""People at a meeting: a display name and an optional relation to the child."""

MAX_NAME = 60
MAX_RELATION = 40

# Suggestions for the join screen; anyone may type another relation.
RELATIONS: tuple[str, ...] = (
    "moeder",
    "vader",
    "pleegmoeder",
    "pleegvader",
    "kind",
    "jongere",
    "broer",
    "zus",
    "oma",
    "opa",
    "tante",
    "oom",
    "neef",
    "nicht",
    "buurvrouw",
    "buurman",
    "vriend",
    "vriendin",
    "leerkracht",
    "vertrouwenspersoon",
    "jeugdbeschermer",
    "pleegzorgbegeleider",
    "gedragsdeskundige",
)


def _clean(value: object, limit: int) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())  # no newlines or runs of spaces in a name
    if len(text) > limit or any(ord(c) < 32 for c in text):
        return None
    return text


def clean_person(name: object, relation: object) -> tuple[str, str] | None:
    """A valid (name, relation) pair, or None. The name is required, the relation not."""
    clean_name = _clean(name, MAX_NAME)
    clean_relation = _clean(relation if relation is not None else "", MAX_RELATION)
    if not clean_name or clean_relation is None:
        return None
    return clean_name, clean_relation
