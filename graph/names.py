"""Forgiving name look-up: folded and squashed forms, did-you-mean, and what to say when a name misses.

Three forms of a name, from strict to loose:

- as given (an id: ``system:su-27``);
- *folded*: case and runs of spaces ignored (``SU-27`` is ``su-27``);
- *squashed*: folded, and every character that is not a letter or a digit dropped,
  so a missing hyphen or space does not matter (``Su27``, ``Su 27`` and ``Su-27``
  are all ``su27``).

:func:`did_you_mean` is the one close-match rule of coopgraph: the validator's
hints (``did you mean 'firm'?``) and the entity look-up of the reports and
``show`` use it. :func:`not_found_message` is what every command says when a
name matches nothing: the closest names with their ids, each of which works as
given.

Examples
--------
>>> squash("Su-27 ") == squash("su27") == squash("SU 27")
True
>>> did_you_mean("frim", ["firm", "state", "program"])
['firm']
"""

from __future__ import annotations

import difflib
from typing import Callable, Iterable, Mapping

#: Called when a name was taken for an entity it does not name exactly:
#: ``(text, entity id, entity name, how)``, ``how`` being ``"partial"`` (a part of a
#: name or alias) or ``"spelling"`` (the same name but for case, hyphens and spaces).
#: The CLI sets it to say so on standard error; the library itself stays silent.
on_inexact_match: Callable[[str, str, str, str], None] | None = None


def fold(text: str) -> str:
    """Case- and space-insensitive form of a name, for look-ups.

    >>> fold("  Su-27  Flanker ")
    'su-27 flanker'
    """
    return " ".join(text.casefold().split())


def squash(text: str) -> str:
    """Folded, with everything but letters and digits dropped: ``Su-27`` and ``su 27`` are ``su27``.

    >>> squash("Su-27SK"), squash("Rosoboron-export")
    ('su27sk', 'rosoboronexport')
    """
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def did_you_mean(word: str, candidates: Iterable[str], n: int = 1, cutoff: float = 0.6) -> list[str]:
    """The candidates closest to ``word`` (at most ``n``), by :func:`difflib.get_close_matches`.

    >>> did_you_mean("staus", ["status", "start", "end"])
    ['status']
    """
    return difflib.get_close_matches(str(word), list(candidates), n=n, cutoff=cutoff)


def announce(text: str, entity_id: str, name: str, how: str) -> None:
    """Tell :data:`on_inexact_match`, if set, that ``text`` was taken for ``entity_id``."""
    if on_inexact_match is not None:
        on_inexact_match(text, entity_id, name, how)


def inexact_note(text: str, entity_id: str, name: str, how: str) -> str:
    """What a person reads when ``text`` was taken for an entity it does not name exactly.

    >>> inexact_note("Sukhoi", "system:su-57", "Su-57", "partial")
    "note: no entity is named 'Sukhoi'; taking the only one whose name contains it: Su-57 (system:su-57)"
    """
    if how == "spelling":
        return f"note: '{text}' taken as {name} ({entity_id})"
    return f"note: no entity is named '{text}'; taking the only one whose name contains it: {name} ({entity_id})"


def close_entities(text: str, names: Mapping[str, Iterable[str]], entity_names: Mapping[str, str],
                   limit: int = 5) -> list[tuple[str, str]]:
    """Entities whose names are close to ``text``: ``(id, name)`` pairs, best first.

    Parameters
    ----------
    names : mapping
        Folded name (or alias, or id) -> the ids of the entities it names.
    entity_names : mapping
        Entity id -> its usual name (for the listing).

    Examples
    --------
    >>> close_entities("Rosteck", {"rostec": ["firm:rostec"], "rosatom": ["firm:rosatom"]},
    ...                {"firm:rostec": "Rostec", "firm:rosatom": "Rosatom"})
    [('firm:rostec', 'Rostec')]
    """
    wanted = squash(text)
    if not wanted:
        return []
    by_squashed: dict[str, set[str]] = {}
    for name, ids in names.items():
        by_squashed.setdefault(squash(name), set()).update(ids)
    ranked: list[str] = []
    # the same letters and digits but for hyphens, spaces and case; then a name that holds them; then spelling
    ranked.extend(sorted(by_squashed.get(wanted, ())))
    if len(wanted) >= 3:
        ranked.extend(sorted({i for key, ids in by_squashed.items() if wanted in key for i in ids},
                             key=lambda i: (len(entity_names.get(i, i)), i)))
    scored = sorted(((difflib.SequenceMatcher(None, wanted, key).ratio(), key) for key in by_squashed if key),
                    reverse=True)
    best = scored[0][0] if scored else 0.0
    # only the closest spellings: a far second guess is noise, not help
    ranked.extend(i for ratio, key in scored[:limit] if ratio >= max(0.7, best - 0.05) for i in sorted(by_squashed[key]))
    out = list(dict.fromkeys(ranked))[:limit]
    return [(i, entity_names.get(i, i)) for i in out]


def not_found_message(text: str, close: list[tuple[str, str]]) -> str:
    """One line for a name that matches no entity, with the closest ones to use instead.

    >>> not_found_message("Rosteck", [("firm:rostec", "Rostec")])
    "no entity matches 'Rosteck'; did you mean Rostec (firm:rostec)?"
    >>> not_found_message("Eurofighter", [])
    "no entity matches 'Eurofighter', nor is any name close to it; find names with 'coopgraph search PART-OF-A-NAME'"
    """
    if not close:
        return (f"no entity matches '{text}', nor is any name close to it; "
                "find names with 'coopgraph search PART-OF-A-NAME'")
    listing = ", ".join(f"{name} ({eid})" for eid, name in close)
    return f"no entity matches '{text}'; did you mean {listing}?"
