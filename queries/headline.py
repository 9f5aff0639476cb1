"""The question coopgraph answers with no options: Russian technologies to the PLA and its programmes.

Defined once, for ``coopgraph chains``, ``coopgraph dossier`` and Python alike.

- :data:`HEADLINE_FROM`: Russia, its bodies and firms and what they make.
- :data:`HEADLINE_TO`: the PLA, its parts and the programmes they develop, and every
  Chinese programme: the SIPRI register names the Chinese programmes Russian items
  went into (the J-10, the Type-054A) but not who runs them. A delivery to the
  state China still stands in for the PLA (see :func:`coopgraph.queries.chains`).
- :data:`HEADLINE_LIMIT`: enough to list every chain of the headline on the bundled data.

Examples
--------
>>> HEADLINE_FROM, HEADLINE_TO
('country:Russia', ('org:PLA', 'country:China&type:program'))
"""

HEADLINE_FROM = "country:Russia"
HEADLINE_TO = ("org:PLA", "country:China&type:program")
HEADLINE_LIMIT = 100
