"""Read the ``Comments`` of a SIPRI trade register row by rule: programmes, variants, local production.

SIPRI's comments are short, formulaic English (``AL-31FN version for J-10
combat aircraft produced in China``; ``Chinese designation J-11``). This module
turns them into structured findings, without any model or download. It makes no
claims and knows no entity ids: the importer decides what to claim and how the
names resolve. :func:`extract` is a pure function of the comment text and the
row's recipient.

What it finds
-------------
:class:`ProgrammeLink`
    The item goes into a platform or programme: ``for 50 Type-054A (Jiangkai-2)
    frigates produced in China`` (name, aliases in brackets, kind words, count,
    ``produced in`` / ``from`` country), ``for use with HHQ-16 SAM``
    (``relation="use_with"``), ``... SAM on 2 Type-052B destroyers``
    (``relation="on"``), ``spare engines for Su-27`` (``relation="spares"``).
    A list gives one link per name (``for H-6K bomber aircraft and Y-20A
    transport aircraft produced in China``); the trailing ``produced in X`` or
    ``from X`` belongs to every name of its list, and a kind word to the names
    before it that have none (``Type-98 and Type-99 tanks``).
:class:`Modernisation`
    ``for modernization of J-8B (J-8-II) combat aircraft to J-8IIM``, ``S-125
    (SA-3) rebuilt to S-125TM``.
:class:`Variant`
    The version the deal is of: ``AL-31FN Series-3 version``, ``9M38M2
    (SA-N-12) version``, ``Mi-171 and Mi-171E versions``, ``incl 4 Su-27UBK``.
:class:`LocalProduction`
    Production, assembly, copying or development in a country: ``produced
    under licence in India``, ``assembled from kits``, ``including production of
    Kh-31P in China as KR-1``, ``later copied and produced in China as Type-66``,
    ``later developed to HQ-2``. A phrase naming no country means the recipient
    (``country_stated`` is then false).
:class:`Designation`
    ``Chinese designation J-11``, ``Indian designation ...``, ``local
    designation ...``: the recipient's (or the named nation's) own name.
:class:`ItemModel`
    The model a clause names for an engine (``DR-77 (8008hp) gas turbine``).
:class:`Note`
    A clause the rules understand but that names no programme (second-hand,
    aid, the deal's value, payment, users and purposes such as ``for police``,
    order history): it is explained, and gives nothing to claim.

Everything else is returned in :attr:`Extraction.leftover`, clause by clause, so
that a reviewer can see what the rules left (``coopgraph import sipri FILE
--explain``).

Whose programme is it?
----------------------
A link names a platform; whether that platform is a programme of the
*recipient* cannot be read from the name (the register writes ``Type-636``
for the Russian Kilo class and ``Type-054A`` for a Chinese frigate). The rule:
:attr:`ProgrammeLink.local` is

- ``True`` when the phrase says the platform is ``produced in <recipient>``, or
  when the comment itself gives the name as a local name (``Chinese designation
  J-11``, ``produced in China as KR-1``);
- ``False`` when the phrase places the platform elsewhere (``produced in
  Turkey``, ``from China`` for a Thai frigate);
- ``None`` otherwise (``for Su-30 combat aircraft``, ``spare engines for Su-27
  and J-11 combat aircraft``): not known from the comment. The importer must not
  take such a link for a recipient's programme unless the name resolves to an
  entity that is already on the recipient's side.

Grammar
-------
A comment is split into clauses at top-level ``;`` (and ``:``). A clause is
split further before a new statement joined by ``and``/``but``/``or``/a
comma (``... produced in China and modernization of Il-76``, ``... and spare
engines for ...``, ``... and 19 produced under licence``). Leading hedges
(``Probably``, ``possibly``, ``most probably``, ``incl``, ``including``,
``mainly``, ``also``) are removed and kept as :attr:`certainty`. A bracket that
is not a list of names (``(but only few years old)``, ``(more produced after
1960 ...)``) is read as a clause of its own; a power in brackets
(``(8008hp)``) is dropped. A clause that only lists names right after a link
continues that link's list (SIPRI writes ``For 2 Type-052B (Luyang-1); 2
Type-052C (Luyang-2) and 2 Type-051C (Luzhou) destroyers produced in China``);
it lends its kind and country to the names before the ``;`` that have none.
Right after ``... as KR-1``, such a clause gives further local names (``YJ-9 or
YJ-91``). Quantities and money never name a programme: a link needs a
model-like name (a digit in it, or a hyphen before a capital), a kind word or a
bracketed alias, a count or a year is never a name, and a clause about a deal
(``$``, ``deal``) is a note.

Examples
--------
>>> x = extract("D-30KP-2 version; for H-6K bomber aircraft and Y-20A transport aircraft produced in China "
...             "and modernization of Il-76 transport aircraft", recipient="China", supplier="Russia")
>>> for line in x.summary():
...     print(line)
variant D-30KP-2
link for H-6K [bomber aircraft] produced_in=China local=yes
link for Y-20A [transport aircraft] produced_in=China local=yes
modernisation of Il-76 [transport aircraft]
>>> x = extract("AL-31F version for J-15 combat aircraft produced in China and spare engines for Su-27 and "
...             "J-11 combat aircraft", recipient="China")
>>> [(link.name, link.relation, link.local) for link in x.links]
[('J-15', 'for', True), ('Su-27', 'spares', None), ('J-11', 'spares', None)]
>>> x = extract("Part of $1.5-2.5 b deal for 200 but about 95 cancelled; assembled from kits; Chinese designation J-11",
...             recipient="China")
>>> x.summary()
('production in=China(recipient) mode=kits', 'designation J-11 by=China')
>>> [note.kind for note in x.notes], x.leftover
(['deal'], ())
>>> extract("For police; status uncertain", recipient="Thailand").links
()
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Union

__all__ = [
    "Designation", "Extraction", "ItemModel", "LocalProduction", "Modernisation", "Note", "ProgrammeLink",
    "Variant", "extract", "same_country",
]


# -- findings --------------------------------------------------------------------------------------------------


def _fields(*pairs: tuple[str, object]) -> str:
    out = []
    for key, value in pairs:
        if value is None or value == () or value is False and key != "local":
            continue
        if isinstance(value, tuple):
            value = "|".join(value)
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        out.append(f" {key}={value}")
    return "".join(out)


@dataclass(frozen=True)
class ProgrammeLink:
    """The item goes into (or is used with, on) a platform or programme.

    Attributes
    ----------
    name, aliases : the platform's name and the names bracketed after it.
    kind : its kind, singular (``combat aircraft``, ``frigate``, ``SAM system``), or None.
    count : how many, as written (``50``, ``some 35``), or None.
    relation : ``for`` (goes into), ``use_with``, ``on`` (fitted on), ``spares``.
    qualifier : ``modernized``, ``new``... when the phrase says so.
    produced_in, from_country : the country the phrase places the platform in.
    local : True when the platform is the recipient's own programme by the
        comment's words, False when the comment places it elsewhere, None when
        the comment does not say (see the module docstring).
    certainty : ``probably`` / ``possibly`` when hedged.
    phrase : the words of the comment that say it (a substring of the comment).
    """

    name: str
    aliases: tuple[str, ...] = ()
    kind: str | None = None
    count: str | None = None
    relation: str = "for"
    qualifier: str | None = None
    produced_in: str | None = None
    from_country: str | None = None
    local: bool | None = None
    certainty: str | None = None
    phrase: str = ""

    def describe(self) -> str:
        """One line: ``link for J-10 [combat aircraft] produced_in=China local=yes``."""
        kind = f" [{self.kind}]" if self.kind else ""
        return (f"link {self.relation} {self.name}{kind}" + _fields(
            ("n", self.count), ("aka", self.aliases), ("qual", self.qualifier), ("produced_in", self.produced_in),
            ("from", self.from_country), ("local", self.local), ("certainty", self.certainty)))


@dataclass(frozen=True)
class Modernisation:
    """The item is for modernising a platform (``name``), possibly into another (``to``).

    ``name`` is None when the row's own item is what was modernised (``modernized
    before delivery to Hunter F-56B``).
    """

    name: str | None
    aliases: tuple[str, ...] = ()
    kind: str | None = None
    count: str | None = None
    to: str | None = None
    to_aliases: tuple[str, ...] = ()
    produced_in: str | None = None
    from_country: str | None = None
    certainty: str | None = None
    phrase: str = ""

    def describe(self) -> str:
        """One line: ``modernisation of J-8B [combat aircraft] aka=J-8-II to=J-8IIM``."""
        kind = f" [{self.kind}]" if self.kind else ""
        return f"modernisation of {self.name or '(the item)'}{kind}" + _fields(
            ("n", self.count), ("aka", self.aliases), ("to", self.to), ("to_aka", self.to_aliases),
            ("produced_in", self.produced_in), ("from", self.from_country), ("certainty", self.certainty))


@dataclass(frozen=True)
class Variant:
    """The version of the item the deal is of (``role`` holds words such as ``naval attack``)."""

    name: str
    aliases: tuple[str, ...] = ()
    role: str | None = None
    count: str | None = None
    produced_in: str | None = None
    certainty: str | None = None
    phrase: str = ""

    def describe(self) -> str:
        """One line: ``variant 9M38M2 aka=SA-N-12``."""
        return f"variant {self.name}" + _fields(
            ("n", self.count), ("aka", self.aliases), ("role", self.role), ("produced_in", self.produced_in),
            ("certainty", self.certainty))


@dataclass(frozen=True)
class LocalProduction:
    """Production of the item (or of ``item``) in ``country``, possibly under a local name.

    ``mode`` is one of ``production``, ``assembly``, ``kits``, ``licence``, ``copy``,
    ``development`` (a later local development, ``developed to HQ-2``). ``licensed``
    is True for ``under licence``, False for ``without licence``/``illegal copy``.
    ``country_stated`` is False when the phrase names no country (it is then the recipient).
    """

    country: str
    mode: str = "production"
    local_name: str | None = None
    aliases: tuple[str, ...] = ()
    item: str | None = None
    count: str | None = None
    licensed: bool | None = None
    when: str | None = None
    country_stated: bool = True
    certainty: str | None = None
    phrase: str = ""

    def describe(self) -> str:
        """One line: ``production in=China mode=production as=KR-1 item=Kh-31P``."""
        where = self.country if self.country_stated else f"{self.country}(recipient)"
        licensed = None if self.licensed is None else self.licensed
        out = f"production in={where} mode={self.mode}" + _fields(
            ("as", self.local_name), ("aka", self.aliases), ("item", self.item), ("n", self.count),
            ("when", self.when), ("certainty", self.certainty))
        if licensed is not None:
            out += f" licensed={'yes' if licensed else 'no'}"
        return out


@dataclass(frozen=True)
class Designation:
    """A nation's own designation of the item (``Chinese designation J-2 (F-2)``)."""

    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    certainty: str | None = None
    phrase: str = ""

    def describe(self) -> str:
        """One line: ``designation J-2 aka=F-2 by=China``."""
        return f"designation {self.name}" + _fields(("aka", self.aliases), ("by", self.country),
                                                    ("certainty", self.certainty))


@dataclass(frozen=True)
class ItemModel:
    """The model a clause names for an engine or other generic item, as written (power dropped)."""

    name: str
    phrase: str = ""

    def describe(self) -> str:
        """One line: ``model DR-77``."""
        return f"model {self.name}"


@dataclass(frozen=True)
class Note:
    """A clause the rules understand that names no programme: ``kind`` says what it is about.

    Kinds: ``deal``, ``second_hand``, ``aid``, ``payment``, ``origin``, ``status``,
    ``order``, ``reason``, ``developed_for``, ``modernized``, ``user``, ``equipment``,
    ``spares``, ``excluded``, ``purpose``, ``modernization`` (of unnamed platforms),
    ``version`` (a role only: ``CP version``), ``engine`` (a power only).
    """

    kind: str
    phrase: str = ""


Finding = Union[ProgrammeLink, Modernisation, Variant, LocalProduction, Designation, ItemModel]


@dataclass(frozen=True)
class Extraction:
    """What :func:`extract` read in one comment.

    Findings by type (in comment order), ``notes`` (understood, nothing to claim)
    and ``leftover``: the clauses no rule understood, as written.
    """

    comment: str
    links: tuple[ProgrammeLink, ...] = ()
    modernisations: tuple[Modernisation, ...] = ()
    variants: tuple[Variant, ...] = ()
    productions: tuple[LocalProduction, ...] = ()
    designations: tuple[Designation, ...] = ()
    models: tuple[ItemModel, ...] = ()
    notes: tuple[Note, ...] = ()
    leftover: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = field(default=(), repr=False)

    @property
    def understood(self) -> bool:
        """True when every clause was understood (no leftover)."""
        return not self.leftover

    def summary(self) -> tuple[str, ...]:
        """Every finding in comment order as one line (see each class's ``describe``)."""
        return tuple(f.describe() for f in self.findings)


# -- vocabulary ------------------------------------------------------------------------------------------------

#: demonyms and their countries (``Chinese designation``, ``Chinese-produced``)
DEMONYMS = {
    "chinese": "China", "indian": "India", "pakistani": "Pakistan", "thai": "Thailand", "vietnamese": "Viet Nam",
    "iranian": "Iran", "russian": "Russia", "soviet": "Soviet Union", "french": "France", "german": "Germany",
    "british": "United Kingdom", "us": "United States", "american": "United States", "israeli": "Israel",
    "ukrainian": "Ukraine", "italian": "Italy", "swedish": "Sweden", "turkish": "Turkey", "spanish": "Spain",
    "south korean": "South Korea", "north korean": "North Korea", "korean": "South Korea", "polish": "Poland",
    "czechoslovak": "Czechoslovakia", "czech": "Czech Republic", "japanese": "Japan", "indonesian": "Indonesia",
    "malaysian": "Malaysia", "singaporean": "Singapore", "egyptian": "Egypt", "iraqi": "Iraq", "dutch": "Netherlands",
    "canadian": "Canada", "australian": "Australia", "brazilian": "Brazil", "belgian": "Belgium",
    "swiss": "Switzerland",
    "austrian": "Austria", "norwegian": "Norway", "danish": "Denmark", "finnish": "Finland", "greek": "Greece",
    "saudi": "Saudi Arabia", "libyan": "Libya", "syrian": "Syria", "belarusian": "Belarus", "bangladeshi": "Bangladesh",
    "sri lankan": "Sri Lanka", "burmese": "Myanmar", "taiwanese": "Taiwan", "south african": "South Africa",
    "yugoslav": "Yugoslavia", "romanian": "Romania", "bulgarian": "Bulgaria", "hungarian": "Hungary",
    "east german": "German DR", "west german": "Germany",
}
#: other spellings of a country in the register's comments
_COUNTRY_SYNONYMS = {
    "usa": "united states", "us": "united states", "united states of america": "united states", "uk": "united kingdom",
    "frg": "germany", "west germany": "germany", "germany (frg)": "germany", "vietnam": "viet nam",
    "ussr": "soviet union", "russian federation": "russia", "prc": "china", "korea, south": "south korea",
    "gdr": "german dr", "east germany": "german dr", "türkiye": "turkey", "turkiye": "turkey",
}

#: kind words after a platform's name (plural or singular); longest first when compiled
_KIND_WORDS = [
    # aircraft
    r"(?:FGA|combat|fighter|bomber|(?:heavy |light )?transport|trainer(?:/combat|/light)?|light|MP|ASW|AEW(?:&C)?|"
    r"tanker(?:/transport)?|maritime patrol|reconnaissance|recce|SIGINT|ELINT|ground attack|VIP|target tow|AGS|"
    r"naval|strike|attack|training|patrol|utility|business|jet|civil|military|tanker/transport|AEW&C) aircraft",
    r"aircraft", r"(?:combat|transport|ASW|light|AEW|naval|anti-ship|armed|utility|SAR|training|trainer) helicopters?",
    r"helicopters?", r"(?:armed |maritime patrol )?UAVs?", r"UCAVs?", r"airships?",
    r"(?:reconnaissance |recce |communications? |navigation |earth observation )?satellites?",
    # ships
    r"aircraft carriers?", r"(?:guided missile |air defence )?destroyers?", r"frigates?", r"corvettes?",
    r"(?:nuclear |midget |diesel |conventional )?submarines?", r"SSBNs?", r"SSKs?", r"SSBs?", r"SSNs?", r"FACs?",
    r"OPVs?", r"AALS", r"LPDs?", r"LSTs?", r"landing (?:ships?|craft|platform docks?)", r"(?:fast )?attack craft",
    r"patrol (?:craft|vessels?|boats?|ships?)", r"minehunters?", r"minesweepers?", r"MCM (?:ships?|vessels?)",
    r"(?:support|supply|survey|research|training|cargo|merchant|naval) ships?", r"replenishment (?:ships?|tankers?)",
    r"cruisers?", r"gunboats?", r"tugs?", r"ships?", r"boats?", r"(?:air defence |patrol )?vessels?",
    # land
    r"(?:light |main battle )?tanks?", r"MBTs?", r"IFVs?", r"APCs?", r"APVs?", r"ARVs?", r"AEVs?", r"ALVs?",
    r"armoured (?:cars?|vehicles?)", r"ABLs?", r"(?:armoured )?bridgelayers?", r"(?:anti-aircraft|AA) guns?",
    r"(?:self-propelled |towed )?(?:guns?|howitzers?|MRLs?|mortars?)", r"tank destroyers?",
    r"(?:armoured |combat )?vehicles?", r"trucks?",
    # systems
    r"(?:mobile |naval |self-propelled |portable )?SAM(?: systems?| launchers?)?", r"(?:self-propelled )?AD systems?",
    r"CIWS", r"(?:coastal |coast )defen[cs]e systems?", r"SSM(?: systems?| launchers?)?", r"(?:ABM|BMD|CIWS) systems?",
    r"(?:anti-ballistic |air defen[cs]e )missile systems?",
    r"(?:fire control |air search |sea search |search )?radars?", r"MRL systems?", r"artillery systems?",
    r"(?:SAM |SSM |missile )?launchers?", r"missiles?", r"torpedoes", r"transport",
]
_KIND = "(?:" + "|".join(sorted(_KIND_WORDS, key=len, reverse=True)) + ")"
_KIND_END = re.compile(rf"(?:^|\s)(?P<kind>{_KIND}(?:/{_KIND})?)$")

#: role words before ``version`` (``Su-30MKK2 naval attack version``) written in capitals
_ROLE_CAPS = {"AAM", "SAM", "ASM", "SSM", "AShM", "BVRAAM", "SRAAM", "SAR", "CP", "ASW", "AEW", "AEW&C", "MP", "VIP",
              "EW", "ELINT", "SIGINT", "AD", "AGS", "MCM", "ECM", "COIN", "FGA", "MPA", "ASuW", "AAW", "GCI", "CSAR",
              "EO", "IR", "ATGW", "NBC", "HQ"}
_ROLE_LEAD = {"armed", "naval", "export", "improved", "modernized", "upgraded", "chinese-produced", "indian-produced",
              "locally-produced", "licence-produced", "license-produced"}
#: capitalised words that are never a programme's name on their own
_NOT_NAMES = {"second-hand", "second", "new", "old", "some", "all", "most", "the", "and", "or", "aid", "version",
              "versions", "deal", "sam", "fac", "sar", "vip", "asw", "aew", "mp", "opv", "ifv", "apc", "mbt", "uav",
              "iac", "ssm", "aam", "asm", "ad", "navy", "army", "air", "force", "police", "coast", "guard"}

_HEDGE = re.compile(r"(?i)^(?:(?P<cert>(?:most |very )?(?:probably|possibly|perhaps|likely|reportedly|apparently|"
                    r"presumably))|(?P<incl>incl\.?|including|includes|mainly|also|and|but|or|and/or|then|plus|"
                    r"officially))"
                    r"(?:\s+|$)")
_POWER = re.compile(r"(?i)^[±~]?\d[\d,.]*(?:\s*-\s*\d[\d,.]*)?\s*(?:hp|shp|kW|MW|kN|lb|lbs|t|tonnes?|kgf|mm|cm|in|pdr)"
                    r"(?:\s+(?:each|thrust|power))?$")
_MONEY = re.compile(r"(?i)(?:\$|€|£|\b(?:USD|US\$|EUR|INR|THB|SGD|GBP|FRF|DEM|SEK|CHF|RMB|NOK|DKK|ITL|NLG|BEF|"
                    r"AUD|CAD|NZD|JPY|KRW|PKR|IRR|VND|Rs|crores?|lakhs?|roubles?|rubles?)(?=[\d\s.]|$)|"
                    r"\bdeal\b|\boffsets?\b|\bworth\b|\bcost\b)")
_WORD = r"[A-Z0-9](?:[^\s();,]|\([^\s();,]*\))*"  # "AN/TPQ-37(V)3", "B(I)-58"
_NAME = rf"{_WORD}(?: {_WORD}){{0,3}}"
_COUNT = (r"(?:(?:about|some|up to|over|at least|around|approximately|ca\.?|only|first|last) )?"
          r"\d+(?:(?: to | or |-)\d+)?|some|several|all")
_COUNTRY = r"[A-Z][\w'.-]*(?: (?:[A-Z][\w'.-]*|of|and))*?(?: [A-Z][\w'.-]*)?"
_ITEM = re.compile(rf"^(?:(?P<count>{_COUNT}) )?(?:(?P<qual>modernized|modernised|new|newly built|upgraded|"
                   rf"second-hand|Second-hand|former|existing|remaining|future|planned|additional|more) )?"
                   rf"(?P<name>{_NAME})(?: \((?P<aliases>[^()]+)\))?$")
_TRAILER = re.compile(rf"^(?P<body>.+?)(?: (?:(?:(?:being|to be|later|locally) )?(?:produced|built|assembled)"
                      rf"(?: under licen[cs]e)? in (?P<pin>{_COUNTRY})|from (?P<from>{_COUNTRY})))$")

# verbs of local production and their modes
_LP_VERB = (r"(?:(?:later|illegally|more|then|also|locally|further|subsequently|licensed|licence|license) )*"
            r"(?:copied|assembled|assembed|produced|built|manufactured|developed|assembly|production|copy|"
            r"co-produced|co-production|license-produced|licence-produced)")
_LP_HEAD = re.compile(rf"(?i)^(?:(?P<count>(?:(?:some|about|over|around|up to) )?\d+|some|most|more|all|the rest|rest|"
                      rf"others)(?: (?:more|others))? )?"
                      rf"(?:(?P<adj>{'|'.join(sorted(DEMONYMS, key=len, reverse=True))}) )?"
                      rf"(?P<verbs>{_LP_VERB}(?:(?:/| or | and |, | and later | and then )(?:[a-z]+ )?{_LP_VERB})*)")
_LP_VERBS_ONLY = re.compile(r"(?i)(?:copied|assembled|assembed|produced|built|manufactured|developed|assembly|"
                            r"production|copy|illegally|later|more|then|also|locally|further|licensed|licence|"
                            r"license)$")
_SPLIT_CONJ = re.compile(r",? and/or |,? and |,? but |, | or ")
_STARTER = re.compile(
    r"(?i)^(?:(?:probably|possibly|most probably|also|then|incl|including) )*"
    r"(?:(?:for|spare|spares|moderni[sz]ation|moderni[sz]ed (?:in|before|after|to)|later|technology used|ordered|"
    r"delivered|not incl(?:uding)?|prior to)\b|"
    r"(?:\d+|some|most|more|the rest|rest|others) (?:more )?(?:assembled|assembed|"
    r"produced|built|copied|for|delivered|from|second-hand)\b|more produced\b|(?:licensed |local )?production\b|"
    r"produced under\b|produced in\b|(?:illegally )?copied\b|assembled\b|developed (?:in|to|for)\b|"
    r"[A-Z][\w-]* designation\b)")
_PAREN_MODIFIER = re.compile(r"(?i)^(?:(?:possibly|probably) )?without |^as (?:an? )?illegal copy")


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("’", "'").split())


def same_country(a: str | None, b: str | None) -> bool:
    """True when two spellings name one country (``USA`` and ``United States``, ``FRG`` and ``Germany``).

    >>> same_country("USA", "United States"), same_country("China", "china"), same_country("India", "China")
    (True, True, False)
    """
    if not a or not b:
        return False
    fa, fb = _fold(a), _fold(b)
    return _COUNTRY_SYNONYMS.get(fa, fa) == _COUNTRY_SYNONYMS.get(fb, fb)


# -- splitting -------------------------------------------------------------------------------------------------


def _top_level_spans(text: str, separators: str) -> list[tuple[int, int]]:
    """Spans of ``text`` between top-level separator characters (brackets respected when balanced)."""
    balanced = text.count("(") == text.count(")")
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch in separators and (depth == 0 or not balanced):
            if ch == ":" and not text[i + 1:i + 2].isspace():
                continue
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(text)))
    return spans


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t.,":
        start += 1
    while end > start and text[end - 1] in " \t.,":
        end -= 1
    return start, end


def _depth_at(text: str, position: int) -> int:
    depth = 0
    for ch in text[:position]:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
    return depth


def _split_top(text: str, pattern: re.Pattern, only_before: re.Pattern | None = None) -> list[tuple[int, int]]:
    """Spans of ``text`` split at top-level matches of ``pattern`` (followed by ``only_before`` when given)."""
    spans, start = [], 0
    for match in pattern.finditer(text):
        if _depth_at(text, match.start()) or match.start() < start:
            continue
        if only_before is not None:
            if not only_before.match(text[match.end():]):
                continue
            left = text[start:match.start()].split()
            # "copied and produced in China": the verbs belong together
            if left and _LP_VERBS_ONLY.fullmatch(left[-1]) and re.match(r"(?i)(?:produced|assembled|built|copied)\b",
                                                                         text[match.end():]):
                continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _names(text: str) -> list[tuple[str, tuple[str, ...]]] | None:
    """``Type-3 or CJ-5``, ``J-4 (F-4) and J-5 (F-5)`` -> [(name, aliases)], or None when not names only."""
    out = []
    for start, end in _split_top(text, re.compile(r",? and/or |,? and |,? or |, | & ")):
        part = text[start:end].strip()
        match = re.fullmatch(rf"(?P<name>{_NAME})(?: \((?P<aliases>[^()]+)\))?", part)
        if not match or not _name_like(match["name"]):
            return None
        aliases = _aliases(match["aliases"]) if match["aliases"] else ()
        if aliases is None:
            return None
        out.append((match["name"], aliases))
    return out or None


def _aliases(text: str) -> tuple[str, ...] | None:
    """``IAC or Project-71`` -> ('IAC', 'Project-71'); None when the bracket holds more than names."""
    parts = [p.strip() for p in re.split(r",? or |, |,? and | / |; ", text)]
    if all(re.fullmatch(rf"{_WORD}(?: {_WORD})*", p) and not _POWER.match(p) for p in parts if p):
        return tuple(p for p in parts if p)
    return None


def _name_like(name: str) -> bool:
    words = name.split()
    if not words or _fold(name) in _NOT_NAMES or _fold(words[0]) in _NOT_NAMES or name.startswith("$"):
        return False
    if _fold(name) in DEMONYMS or re.fullmatch(r"\d+", words[0]) or re.fullmatch(r"[\d,.]+|\d+-\d+", name):
        return False  # a count, a number or a range is no name
    return all(re.match(r"[A-Z0-9]", w) for w in words)


def _model_like(name: str) -> bool:
    """A name that is a model's: a digit in it (``J-10``, ``9M38M2``), or a hyphen before a capital (``Kornet-E``)."""
    if re.fullmatch(r"[\d,.]+(?:s|th)?|\d{4}s?|\d+-\d+", name):  # a number, a year, a range
        return False
    return _name_like(name) and bool(re.search(r"\d|\w-[A-Z]", name))


def _singular(kind: str) -> str:
    words = kind.split()
    last = words[-1]
    if last == "torpedoes":
        last = "torpedo"
    elif last in ("AALS", "aircraft", "craft", "SAM", "transport") or not last.endswith("s") or last.endswith("ss"):
        pass
    else:
        last = last[:-1]
    return " ".join(words[:-1] + [last])


# -- reading ---------------------------------------------------------------------------------------------------


@dataclass
class _Context:
    comment: str
    recipient: str
    supplier: str | None


@dataclass
class _Read:
    """What one clause or sub-clause gave."""

    findings: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def add(self, other: "_Read") -> "_Read":
        self.findings.extend(other.findings)
        self.notes.extend(other.notes)
        return self


def _items(text: str) -> list[dict] | None:
    """A list of platforms: ``50 Type-054A (Jiangkai-2) frigates``, ``Type-98 and Type-99 tanks``.

    Returns dicts (name, aliases, kind, count, qualifier, produced_in, from_country) or None.
    """
    trailer = _TRAILER.match(text)
    produced_in = from_country = None
    body = text
    if trailer and (trailer["pin"] or trailer["from"]):
        body, produced_in, from_country = trailer["body"], trailer["pin"], trailer["from"]
    parts, carry = [], ""
    for start, end in _split_top(body, re.compile(r",? and/or |,? and (?:and )?|,? or |, | & ")):
        part = body[start:end].strip()
        if re.fullmatch(r"\d+", part):  # "1 or 2 Type-052": a count of the next name
            carry = f"{carry}{part} or "
            continue
        parts.append(carry + part if carry else part)
        carry = ""
    if carry:
        return None
    items, running = [], None
    for part in parts:
        part, hedge, _ = _hedges(part)
        hedge = running = hedge or running  # "T-90 and possibly T-72 tanks": the hedge holds to the end
        if not part:
            return None
        own = _TRAILER.match(part)  # "1 Rajakumarn frigate from UK and 2 PF-103 corvettes from USA"
        place = (own["pin"], own["from"]) if own and (own["pin"] or own["from"]) else None
        if place:
            part = own["body"]
        kind = None
        found = _KIND_END.search(part)
        if found and found.start("kind") > 0:
            kind = _singular(found["kind"])
            part = part[:found.start("kind")].rstrip()
        part = re.sub(r" [Cc]lass$", "", part)
        match = _ITEM.match(part)
        if not match:
            return None
        name = match["name"]
        aliases = ()
        if match["aliases"]:
            aliases = _aliases(match["aliases"])
            if aliases is None:
                return None
        if not _name_like(name):
            return None
        items.append({"name": name, "aliases": aliases, "kind": kind, "count": match["count"], "certainty": hedge,
                      "qualifier": match["qual"].lower() if match["qual"] else None, "place": place})
    if not items:
        return None
    following = None
    for item in reversed(items):  # "Type-98 and Type-99 tanks": a kind word serves the names before it
        if item["kind"]:
            following = item["kind"]
        elif following:
            item["kind"] = following
    for item in items:
        if not (_model_like(item["name"]) or item["kind"] or item["aliases"]):
            return None  # a name needs a digit, a kind word or an alias to be a platform
        item["produced_in"], item["from_country"] = item.pop("place") or (produced_in, from_country)
    return items


_LINK = re.compile(r"(?i)^(?:(?P<count>\d+|some)(?: more)? )?(?P<rel>for use with|for use on|for use in|for|"
                   r"spares? for|spare (?:engines?|parts?|[a-z]+) for|to be used (?:with|on|for)|used (?:with|on)|"
                   r"fitted (?:to|on)|installed on|on) (?P<rest>.+)$")
_MODERNISATION = re.compile(r"(?i)^(?:\d+ )?(?:for |and )?(?:the )?(?:'[^']+' (?:\([A-Z]+\) )?)?"
                            r"(?:moderni[sz]ation|upgrad(?:e|ing)|refit|rebuild(?:ing)?|conversion|modification|"
                            r"re-engining) of (?P<rest>.+)$")
_REBUILT = re.compile(r"^(?:(?:Second-hand|second-hand|ex-[\w-]+) )?(?:(?P<adj>[A-Z][a-z]+) )?(?P<of>.+?) "
                      r"(?:rebuilt|modernized|modernised|upgraded|converted|modified) to (?P<to>.+)$")
_VERSION = re.compile(r"\b(?:ver[sa]ions?|variants?)\b")
_DESIGNATION = re.compile(r"(?i)^(?P<adj>[a-z]+(?: [a-z]+)?|local) (?:designations?|names?) (?P<names>.+)$")
_ENGINE = re.compile(r"(?i)^(?P<model>.*?)\s*(?P<engine>(?:(?:diesel|petrol|gasoline|steam|gas|marine|aircraft|"
                     r"ship|vehicle|tank|air-independent|AIP|Stirling|electric|auxiliary) )*(?:engines?|turbines?|"
                     r"turboprops?|turboshafts?|turbofans?|turbojets?|motors?|APUs?|gearbox(?:es)?|generators?))"
                     r"(?: (?P<tail>for .+|on .+))?$")

#: notes: (kind, pattern) tried in order on a sub-clause without its hedges
_NOTES = [
    ("excluded", r"not incl(?:\.|uding|uded)? .+|excl(?:\.|uding|udes)? .+|not included .*"),
    ("second_hand", r"(?:\d+ |some |all |most )?(?:more )?second-hand(?: but .*| from .*| \(.*| [a-z].*)?|"
                    r"(?:but )?(?:probably |possibly )?(?:never|not much|little|hardly) used.*|ex-[A-Z][\w-]*(?: .*)?|"
                    r"(?:but )?(?:maximum )?only used .*|(?:but )?"
                    r"(?:maximum |only )*(?:a )?few years old|(?:but )?only few years old|.*\bnew(?:ly)? built\b.*|"
                    r"(?:refurbished|overhauled|reconditioned)(?: .*)?|(?:new|used)"),
    ("aid", r"(?:'[\w ]+' )?aid(?: .*)?|(?:military )?aid .*|gift(?: .*)?|donat(?:ed|ion)(?: .*)?|"
            r"(?:free|for free|free of charge)(?: .*)?|.*\bgrant\b.*|(?:'[\w ]+' )programme(?: .*)?"),
    ("payment", r"payment (?:for|of) .*|.*\bdebt\b.*|.*\bbarter\b.*|(?:paid|financed|funded) (?:by|with) .*"),
    ("origin", r"(?:incl |possibly incl |probably )?(?:from|via) (?:[\w'-]+ ){1,4}production line.*|"
               r"(?:delivered |sold |ordered |bought |purchased )?via .*|(?:from|of|on) .*\bproduction line\b.*"),
    ("status", r"(?:status|designation|type|number|no\.|numbers|data|year|delivery status|quantity)"
               r"(?: of [\w ]+)? (?:since \d{4} )?uncertain.*|.*\buncertain\b.*|"
               r"(?:no\. |number )(?:delivered|ordered) .*|"
               r"could be .*|status .*|unconfirmed.*|not confirmed.*|reported as .*|"
               r"(?:no\.|number|numbers)(?: of [\w ]+)? (?:could|may|might|is|are|was|were) .*"),
    ("order", r"(?:original(?:ly)?|initial(?:ly)?) .*|(?:order|ordered|orders)(?: .*)?|option .*|.*\bcancell?ed\b.*|"
              r"(?:\d+ |some )?more (?:ordered|delivered|planned|cancelled|expected|in \d{4}|from .*).*|"
              r"(?:replacing|replaced|replacement) .*|(?:lease|leased|loan|loaned|rented|on loan)(?: .*)?|"
              r"(?:bought|purchased|acquired|sold|selected|returned|transferred|re-exported)(?: .*)?|"
              r"(?:the rest|rest|remaining|others?) .*|(?:\d+ )?(?:more )?from [A-Z][\w ]+(?: after .*)?|"
              r"(?:delivered|deliveries|delivery) .*|(?:after|before|since|until|during) .*|.*\bdelayed\b.*|"
              r"(?:\d+ |some )?(?:later|earlier) .*delivered.*|.*\bembargo(?:ed)?\b.*|(?:deal|contract)(?: .*)?|"
              r".*\b(?:abandoned|given up|not used|not exercised|not delivered|never delivered)\b.*|"
              r".*\blease\b.*|(?:later )?completed .*|exchanged .*|from \d{4}.*|(?:recipient|supplier) .*"),
    ("reason", r"due to .*|because .*|as a result .*"),
    ("developed_for", r"(?:developed|designed|produced|modified) (?:for|by|with) .*|funded by .*|"
                      r"developed for and .*|developed with .*|(?:developed )?(?:jointly|together) .*"),
    ("modernized", r"(?:\d+ )?(?:later )?(?:moderni[sz]ed|upgraded|refitted|rebuilt|re-engined|modified|converted)"
                   r"(?: .*)?"),
    ("user", r"(?:operated|used|flown|manned|crewed) by .*|(?:\d+ )?for (?:the )?(?:army|navy|air force|police|"
             r"coast ?guard|marines?|border .*|paramilitary .*|government .*|presidential .*|VIP .*|customs|"
             r"(?:military|government|civil)(?: .*)?|.*\b(?:police|ministry|agency|intelligence|guards?|customs|"
             r"paramilitary|army|navy|air force|marines)\b.*)"),
    ("equipment", r"(?:with|without|armed with|fitted with|equipped with) .*|.*\bremoved\b.*"),
    ("spares", r"(?:\d+ )?(?:more )?(?:incl )?(?:spare|spares)(?: .*)?|(?:\d+ )?(?:more )?for (?:for )?spares(?: .*)?"),
]
_NOTES = [(kind, re.compile(rf"(?i)^(?:(?:\d+|some|all|most) )?(?:{pattern})$")) for kind, pattern in _NOTES]
#: notes that a model's name in the clause forbids (``spare engines for Su-27`` is a link, not a note)
_NOTES_WITHOUT_MODELS = {"spares", "user", "modernized", "developed_for", "second_hand", "equipment"}


def _hedges(text: str) -> tuple[str, str | None, bool]:
    """``Probably incl for X`` -> ('for X', 'probably', True): the text, certainty and whether ``incl`` led."""
    certainty, incl = None, False
    while True:
        match = _HEDGE.match(text)
        if not match or match.end() == len(text) and not match.group(0).endswith(" "):
            break
        if match["cert"]:
            certainty = certainty or match["cert"].lower().split()[-1]
        else:
            incl = incl or match["incl"].lower().startswith("incl")
        text = text[match.end():]
    return text, certainty, incl


def _read_text(text: str, ctx: _Context) -> tuple[list[_Read], list[str]]:
    """Read a comment (or a bracket's text) clause by clause; a clause may continue the one before."""
    reads, left = [], []
    previous: _Read | None = None
    for start, end in _top_level_spans(text, ";:"):
        start, end = _strip_span(text, start, end)
        if start >= end:
            continue
        clause = text[start:end]
        read, rest = _read_clause(clause, ctx, clause, previous)
        reads.append(read)
        left.extend(rest)
        if read.findings:
            previous = read  # a continuation in the next clause amends these findings in place
        elif rest or read.notes:
            previous = None
    return reads, left


def _read_clause(text: str, ctx: _Context, phrase: str, previous: _Read | None) -> tuple[_Read, list[str]]:
    """Read one ``;`` clause: split into sub-clauses, read each, fall back to splitting at conjunctions."""
    read, left = _Read(), []
    for start, end in _split_top(text, _SPLIT_CONJ, _STARTER):
        start, end = _strip_span(text, start, end)
        if start >= end:
            continue
        part = text[start:end]
        got, rest = _read_sub(part, ctx, previous=previous if start == 0 else None, outer=phrase)
        if got is None:
            got, rest = _fallback(part, ctx, phrase)
        if got is None:
            left.append(part)
            continue
        read.add(got)
        left.extend(rest)
    return read, left


def _fallback(text: str, ctx: _Context, outer: str) -> tuple[_Read | None, list[str]]:
    """A sub-clause no rule read: try its parts at ``and``/``but``/``or``/commas; all must be read."""
    spans = _split_top(text, _SPLIT_CONJ)
    if len(spans) < 2:
        return None, []
    read = _Read()
    for start, end in spans:
        start, end = _strip_span(text, start, end)
        part = text[start:end]
        if not part:
            continue
        got, rest = _read_sub(part, ctx, outer=outer)
        if got is None or rest:
            return None, []
        read.add(got)
    return read, []


def _read_sub(text: str, ctx: _Context, previous: _Read | None = None,
              outer: str = "") -> tuple[_Read | None, list[str]]:
    """Read one sub-clause; brackets that are remarks are read on their own. None when no rule applies.

    ``outer`` is the enclosing phrase, quoted instead of ``text`` when ``text`` is not verbatim in the comment.
    """
    read, left = _Read(), []
    phrase = text if text in ctx.comment else outer
    # a bracket that is not a list of names, a power, or a licence remark, is a clause of its own
    kept, at = [], 0
    for match in re.finditer(r"\s*\(([^()]*)\)", text):
        inner = match.group(1).strip()
        if _aliases(inner) is not None and not _POWER.match(inner) or _PAREN_MODIFIER.match(inner):
            continue
        kept.append(text[at:match.start()])
        at = match.end()
        if _POWER.match(inner) or not inner:
            continue
        got, rest = _read_text(inner, ctx)
        for one in got:
            read.add(one)
        left.extend(rest)
    kept.append(text[at:])
    core = "".join(kept).strip(" ,.")
    core = re.sub(r"\s+", " ", core)
    core = re.sub(r"\b(and|for|the|of) \1\b", r"\1", core)  # "destroyers and and 1 Type-051B"
    if not core:
        return read, left
    got = _rules(core, ctx, phrase, previous)
    if got is None:
        return None, []
    if left and not got.findings and [n.kind for n in got.notes] == ["deal"]:
        left = []  # what a deal's bracket says beyond the rules is part of the deal's terms
    return got.add(read), left


def _rules(text: str, ctx: _Context, phrase: str, previous: _Read | None) -> _Read | None:
    body, certainty, incl = _hedges(text)
    body = body.strip(" ,.:")
    if not body:
        return _Read()
    for rule in (_designation, _development, _modernisation, _variant, _production, _link, _engine,
                 _included_variant, _deal, _notes, _purpose):
        got = rule(body, ctx, phrase, certainty, incl)
        if got is not None:
            return got
    if previous is not None:
        return _continuation(body, ctx, phrase, certainty, previous)
    return None


def _designation(body, ctx, phrase, certainty, incl):
    match = _DESIGNATION.match(body)
    if not match:
        return None
    adj = _fold(match["adj"])
    if adj == "local":
        country = ctx.recipient
    elif adj in DEMONYMS:
        country = DEMONYMS[adj]
    else:
        return None
    names = _names(match["names"].rstrip(" ."))
    if names is None:
        return None
    return _Read([Designation(n, a, country, certainty, phrase) for n, a in names])


_DEVELOPMENT = re.compile(rf"(?i)^(?:(?:for use|used) in (?P<country>{_COUNTRY}) )?(?:for|technology used in|"
                          rf"used (?:in|for)|as basis for|basis for) (?:the )?(?:local )?development of (?P<names>.+)$")


def _development(body, ctx, phrase, certainty, incl):
    match = _DEVELOPMENT.match(body)
    if not match:
        return None
    names = _names(match["names"])
    if names is None:
        return None
    stated = match["country"] is not None
    country = match["country"] or ctx.recipient
    return _Read([LocalProduction(country, "development", n, a, country_stated=stated, certainty=certainty,
                                  phrase=phrase) for n, a in names])


def _modernisation(body, ctx, phrase, certainty, incl):
    match = _MODERNISATION.match(body)
    to = None
    if match:
        rest = match["rest"]
        parts = _split_top(rest, re.compile(r" (?:to|into) "))
        if len(parts) == 2:
            of_text, to = rest[parts[0][0]:parts[0][1]], rest[parts[1][0]:parts[1][1]]
        elif len(parts) == 1:
            of_text = rest
        else:
            return None
    elif _MODERNIZED_TO.match(body):  # "modernized before delivery to Hunter F-56B": the item itself
        named = _to_name(_MODERNIZED_TO.match(body)["to"])
        if named is None:
            return None
        return _Read([Modernisation(None, (), None, None, named[0], named[1], certainty=certainty, phrase=phrase)])
    else:
        match = _REBUILT.match(body)
        if not match:
            return None
        of_text, to = match["of"], match["to"]
        if match["adj"] and _fold(match["adj"]) not in DEMONYMS:
            of_text = f"{match['adj']} {of_text}"
        if re.match(r"(?i)for ", of_text):  # "For F-5E combat aircraft modernized to F-5T": a link, then its upgrade
            links = _link(of_text, ctx, phrase, certainty, incl)
            named = _to_name(to)
            if links is None or named is None:
                return None
            links.findings.extend(Modernisation(f.name, f.aliases, f.kind, f.count, named[0], named[1],
                                                certainty=certainty, phrase=phrase) for f in list(links.findings))
            return links
    items = _items(of_text)
    if items is None:
        if not _has_model(of_text):
            return _Read(notes=[Note("modernization", phrase)])
        return None
    to_name, to_aliases = None, ()
    if to:
        named = _to_name(to)
        if named is None:
            return None
        to_name, to_aliases = named
    return _Read([Modernisation(i["name"], i["aliases"], i["kind"], i["count"], to_name, to_aliases,
                                i["produced_in"], i["from_country"], i["certainty"] or certainty, phrase)
                  for i in items])


_MODERNIZED_TO = re.compile(r"(?i)^(?:moderni[sz]ed|rebuilt|upgraded|converted|modified)(?: (?:before|after) delivery|"
                            r" in [A-Z][a-z]+)* (?:to|into) (?P<to>.+)$")


def _to_name(text: str) -> tuple[str, tuple[str, ...]] | None:
    """``Il-38SD version before delivery`` -> ('Il-38SD', ()): the one name a modernisation leads to."""
    text = re.sub(r"(?:\s+(?:before|after) delivery|\s+in [A-Z][a-z]+)+$", "", text.strip())
    text = re.sub(r"\s+(?:version|standard|configuration)$", "", text)
    named = _names(text)
    if named is None or len(named) != 1 or not _model_like(named[0][0]):
        return None
    return named[0]


def _has_model(text: str) -> bool:
    return any(_model_like(w.strip("(),")) for w in text.split())


def _variant(body, ctx, phrase, certainty, incl):
    found = _VERSION.search(body)
    if not found:
        return None
    left, tail = body[:found.start()].strip(), body[found.end():].strip()
    words = left.split()
    produced_in, role = None, []
    # leading role or origin words: "Armed Mi-171Sh", "Chinese-produced H/PJ-26"
    while words and (_fold(words[0]) in _ROLE_LEAD or re.match(r"(?i)[a-z]+-produced$", words[0])):
        made = re.match(r"(?i)([a-z]+)-produced$", words[0])
        if made:
            produced_in = DEMONYMS.get(_fold(made.group(1)))
            if produced_in is None:
                return None
        else:
            role.append(words[0].lower())
        words.pop(0)
    trailing = []
    while words and (words[-1] in _ROLE_CAPS or re.fullmatch(r"[a-z][a-z/&-]*", words[-1])) and words[-1] not in (
            "and", "or", "and/or"):
        trailing.insert(0, words.pop())
    role += trailing
    if len(words) == 1 and re.fullmatch(r"\d+|some", words[0]):  # "incl 4 modified version"
        words = []
    if not words:  # "CP version", "armed version": a role, no model
        if not role or tail:
            return None
        return _Read(notes=[Note("version", phrase)])
    variants, running = [], None
    text = " ".join(words)
    for start, end in _split_top(text, re.compile(r",? and/or |,? and |,? or |, ")):
        part, hedge, _ = _hedges(text[start:end].strip())
        hedge = running = hedge or running  # "Mi-171 and possibly Mi-17V-5 and/or Mi-17V-7": both hedged
        own_role = []
        while " " in part and re.fullmatch(r"[a-z][a-z/&-]*", part.rsplit(" ", 1)[1]):
            part, word = part.rsplit(" ", 1)  # "3 Mirage-3RP reconnaissance and 3 Mirage-3DP version"
            own_role.insert(0, word)
        part = re.sub(r" [Cc]lass$", "", part)
        match = _ITEM.match(part)
        aliases = _aliases(match["aliases"]) if match and match["aliases"] else ()
        if not match or aliases is None or not _name_like(match["name"]) or _KIND_END.search(part):
            return None
        item = {"name": match["name"], "aliases": aliases, "count": match["count"], "kind": None,
                "qualifier": match["qual"].lower() if match["qual"] else None, "produced_in": None,
                "from_country": None}
        if item["produced_in"] or item["from_country"] or item["kind"] or item["qualifier"] not in (None, "more"):
            return None
        variants.append(Variant(item["name"], item["aliases"], " ".join(own_role or role) or None, item["count"],
                                produced_in, hedge or certainty, phrase))
    read = _Read(list(variants))
    if produced_in:
        read.findings.extend(LocalProduction(produced_in, "production", v.name, v.aliases, certainty=v.certainty,
                                             phrase=phrase) for v in variants)
    if tail:
        got, rest = _read_clause(tail, ctx, phrase, None)
        if rest:
            return None
        read.add(got)
    return read


def _included_variant(body, ctx, phrase, certainty, incl):
    """``incl 2 to 10 Su-27UBK``, ``incl some Mirage-3OD``: a model the deal includes."""
    if not incl:
        return None
    items = _items(body)
    if items is None or any(i["kind"] or i["produced_in"] or i["from_country"] or not _model_like(i["name"])
                            for i in items):
        return None
    return _Read([Variant(i["name"], i["aliases"], None, i["count"], None, i["certainty"] or certainty, phrase)
                  for i in items])


_MODIFIERS = [
    ("of_improved", re.compile(r"(?i) of (?:an? )?(?:improved|modified|new|developed) (?:version|variant|model)s?")),
    ("of_parts", re.compile(r"(?i) of (?:some )?(?:components|parts|subsystems|spare parts|some parts)")),
    ("of", re.compile(rf" of (?P<name>{_NAME})(?: \((?P<aliases>[^()]+)\))?")),
    ("verb", re.compile(rf"(?i)(?:/| or | and | and later | and then ){_LP_VERB}")),
    ("licence", re.compile(r"(?i) under (?:(?P<by>[A-Z][\w-]*) )?licen[cs]e")),
    ("unlicensed", re.compile(r"(?i) \(?(?P<hedge>(?:possibly|probably) )?without (?:[\w-]+ ){0,4}?"
                              r"(?:licen[cs]es?|consent|permission)(?: [^()]*(?=\))| for production)?\)?")),
    ("illegal", re.compile(r"(?i) \(?as (?:an? )?illegal copy\)?")),
    ("kits", re.compile(r"(?i) from (?:imported )?kits?(?: (?:delivered|supplied) "
                        r"(?P<when>(?:before|after|from|in) .+?)"
                        r"(?=$| as | in [A-Z]| under | \())?")),
    ("in", re.compile(rf" in (?P<country>{_COUNTRY})(?=$| as | from | after | before | since | until | under | to |"
                      rf" \(| without | for | with )")),
    ("locally", re.compile(r"(?i) (?:locally|at home|domestically)")),
    ("as", re.compile(rf" as (?P<names>{_NAME}(?: \([^()]+\))?(?:(?: or |, | and ){_NAME}(?: \([^()]+\))?)*)"
                      rf"(?=$| after | before | in | from | since | until | under | \(| without | for )")),
    ("to", re.compile(rf" (?:to|into) (?P<names>{_NAME}(?: \([^()]+\))?(?:(?: or |, | and ){_NAME}"
                      rf"(?: \([^()]+\))?)*)(?=$| after | before | in | from | \()")),
    ("when", re.compile(r"(?i) (?P<when>(?:(?:delivered|starting|beginning|only) )?(?:after|before|since|until|from|"
                        r"during|between|in|by) (?:the )?(?:\d{4}|[\w'-]+-[\w'-]+|break|end|early|late|mid|collapse)"
                        r".*?)(?=$| as | in [A-Z][a-z]+(?:$| as | from )| under | \(| without )")),
    ("for", re.compile(r"(?i) for (?:use by |the )?(?:domestic|own|local|home|export|internal|[A-Z][a-z]+) "
                       r"(?:use|market|requirements?|forces|armed forces|army|navy|air force)")),
    ("with", re.compile(r"(?i) with (?:[\w-]+ ){0,3}(?:help|assistance|support|technology|components|parts)"
                        r"(?: from [A-Z][\w ]*)?")),
]


def _production(body, ctx, phrase, certainty, incl):
    body = re.sub(r"(?i)^(?:prior to|before|followed by|leading to) ", "", body)
    head = _LP_HEAD.match(body)
    if not head:
        return None
    verbs = head["verbs"].lower()
    count = head["count"]
    country = DEMONYMS.get(_fold(head["adj"])) if head["adj"] else None
    at = head.end()
    names: list[tuple[str, tuple[str, ...]]] = []
    item = licensed = when = None
    modes = set()
    rest = body[at:]
    while rest:
        for key, pattern in _MODIFIERS:
            match = pattern.match(rest)
            if not match:
                continue
            if key == "of_improved":
                modes.add("development")
            elif key == "of_parts":
                pass
            elif key == "of":
                if item or not _model_like(match["name"]):
                    continue
                item = match["name"]
            elif key == "verb":
                verbs += " " + match.group(0).lower()
            elif key == "licence":
                licensed = True
            elif key == "unlicensed":
                licensed = None if match["hedge"] else False
            elif key == "illegal":
                licensed, verbs = False, verbs + " copy"
            elif key == "kits":
                modes.add("kits")
                when = when or match["when"]
            elif key in ("in",):
                if country and not same_country(country, match["country"]):
                    continue
                country = match["country"]
            elif key == "locally":
                country = country or ctx.recipient
            elif key in ("as", "to"):
                got = _names(match["names"])
                if got is None:
                    continue
                names.extend(got)
                if key == "to":
                    modes.add("development")
            elif key == "when":
                when = match["when"].strip()
            rest = rest[match.end():]
            break
        else:
            return None
    if "develop" in verbs:
        modes.add("development")
    if re.search(r"cop(?:y|ied)", verbs):
        modes.add("copy")
    if "illegal" in verbs:
        licensed = False
    if licensed:
        modes.add("licence")
    if re.search(r"assembl", verbs):
        modes.add("assembly")
    mode = next((m for m in ("development", "copy", "kits", "licence", "assembly") if m in modes), "production")
    if mode == "production" and "licen" in verbs:
        mode, licensed = "licence", True
    stated = country is not None
    country = country or ctx.recipient
    if count and re.fullmatch(r"[A-Za-z ]+", count):  # "Most", "more", "the rest": a quantifier, lower-cased
        count = _fold(count) if _fold(count) in ("more", "most", "some", "all") else None
    if not names:
        return _Read([LocalProduction(country, mode, None, (), item, count, licensed, when, stated, certainty, phrase)])
    (first, first_aliases), *others = names
    if mode == "development" and others:  # "developed to HQ-2 and HQ-3": several developments
        return _Read([LocalProduction(country, mode, n, a, item, count, licensed, when, stated, certainty, phrase)
                      for n, a in names])
    aliases = first_aliases + tuple(x for n, a in others for x in (n,) + a)
    return _Read([LocalProduction(country, mode, first, aliases, item, count, licensed, when, stated, certainty,
                                  phrase)])


def _link(body, ctx, phrase, certainty, incl):
    match = _LINK.match(body)
    if not match:
        return None
    rel = match["rel"].lower()
    if "spare" in rel:
        relation = "spares"
    elif rel in ("for use with", "to be used with", "used with"):
        relation = "use_with"
    elif rel in ("for use on", "to be used on", "used on", "fitted to", "fitted on", "installed on", "on"):
        relation = "on"
    elif rel == "for use in":
        return None
    else:
        relation = "for"
    groups = _split_top(match["rest"], re.compile(r" on (?:board )?"))
    links = []
    for number, (start, end) in enumerate(groups):
        items = _items(match["rest"][start:end].strip())
        if items is None:
            return None
        rel_here = relation if number == 0 else "on"
        links.extend(ProgrammeLink(i["name"], i["aliases"], i["kind"], i["count"], rel_here, i["qualifier"],
                                   i["produced_in"], i["from_country"], None, i["certainty"] or certainty, phrase)
                     for i in items)
    return _Read(links)


def _engine(body, ctx, phrase, certainty, incl):
    match = _ENGINE.match(body)
    if not match:
        return None
    model = " ".join(w for w in match["model"].split() if not _POWER.match(w) and not re.fullmatch(r"\d+x?", w))
    model = model.strip(" ,")
    read = _Read()
    if model:
        if not re.match(r"[A-Z0-9]", model) or not all(re.match(r"[A-Z0-9]|or$|and$|&$|/", w) for w in model.split()):
            return None
        read.findings.append(ItemModel(model, phrase))
    else:
        read.notes.append(Note("engine", phrase))
    if match["tail"]:
        got, rest = _read_clause(match["tail"], ctx, phrase, None)
        if rest:
            return None
        read.add(got)
    return read


def _notes(body, ctx, phrase, certainty, incl):
    for kind, pattern in _NOTES:
        if pattern.match(body) and not (kind in _NOTES_WITHOUT_MODELS and _has_model(body)):
            return _Read(notes=[Note(kind, phrase)])
    return None


def _deal(body, ctx, phrase, certainty, incl):
    if _MONEY.search(body) or re.match(r"(?i)part of .*", body):
        return _Read(notes=[Note("deal", phrase)])
    return None


_PURPOSE = re.compile(r"(?i)^(?:(?:\d+|some)(?: more)? )?(?:for|as|to be used|used) .+$")


def _purpose(body, ctx, phrase, certainty, incl):
    """``for training``, ``for use on aircraft carrier``: a use without a model's name."""
    if not _PURPOSE.match(body) or _has_model(body) or re.search(r"\([^()]*\)", body):
        return None
    words = re.sub(r"^(?:\d+|some)(?: more)? ", "", body).split()
    first = words[1] if len(words) > 1 else ""
    if re.match(r"[A-Z]", first) and _fold(first) not in DEMONYMS and first not in _ROLE_CAPS \
            and _fold(first) not in _NOT_NAMES:
        return None  # "For Kashtan": a name without a digit or kind word is neither a link nor a purpose
    return _Read(notes=[Note("purpose", phrase)])


def _continuation(body, ctx, phrase, certainty, previous: _Read) -> _Read | None:
    """A clause that only lists names, right after a link (or a local name): it continues that list."""
    last = previous.findings[-1] if previous.findings else None
    if isinstance(last, ProgrammeLink):
        items = _items(body)
        if items is None:
            return None
        links = [ProgrammeLink(i["name"], i["aliases"], i["kind"], i["count"], last.relation, i["qualifier"],
                               i["produced_in"], i["from_country"], None, i["certainty"] or certainty, phrase)
                 for i in items]
        kind, produced_in, from_country = links[-1].kind, links[-1].produced_in, links[-1].from_country
        for number, finding in enumerate(previous.findings):  # lend kind and place to the names before the ';'
            if isinstance(finding, ProgrammeLink):
                previous.findings[number] = replace(
                    finding, kind=finding.kind or kind,
                    produced_in=finding.produced_in or (None if finding.from_country else produced_in),
                    from_country=finding.from_country or (None if finding.produced_in else from_country))
        return _Read(links)
    if isinstance(last, Modernisation) and last.name:  # "for modernization of 1 Viraat; 2 Kashin destroyers"
        items = _items(body)
        if items is None:
            return None
        return _Read([Modernisation(i["name"], i["aliases"], i["kind"], i["count"], None, (), i["produced_in"],
                                    i["from_country"], i["certainty"] or certainty, phrase) for i in items])
    if isinstance(last, Variant):  # "incl Z-8A; Z-8B; Z-8K": more versions
        got = _variant(body + " version", ctx, phrase, certainty, False) if not _VERSION.search(body) else None
        if got is None:
            items = _items(body)
            if items is None or any(i["kind"] or not _model_like(i["name"]) for i in items):
                return None
            got = _Read([Variant(i["name"], i["aliases"], None, i["count"], None, i["certainty"] or certainty, phrase)
                         for i in items])
        return got
    if isinstance(last, LocalProduction) and last.local_name:
        names = _names(body)
        if names is None:
            return None
        more = tuple(x for n, a in names for x in (n,) + a)
        previous.findings[-1] = replace(last, aliases=last.aliases + more)
        return _Read()
    return None


def extract(comment: str, *, recipient: str, supplier: str | None = None) -> Extraction:
    """Read one register row's comments by rule.

    Parameters
    ----------
    comment : str
        The row's ``Comments`` cell, as exported.
    recipient : str
        The row's recipient (``China``): a production phrase naming no country
        is production there, and ``produced in <recipient>`` makes a link local.
    supplier : str, optional
        The row's supplier. The rules read no nationality from it: a platform
        named without a place (``for Su-30``) stays ``local=None`` whoever the
        supplier is (see "Whose programme is it?" above).

    Returns
    -------
    Extraction
        Findings by type, notes, and the clauses no rule understood (``leftover``).

    Examples
    --------
    >>> x = extract("For 1 Vikrant (IAC or Project-71) aircraft carrier produced in India", recipient="India")
    >>> x.summary()
    ('link for Vikrant [aircraft carrier] n=1 aka=IAC|Project-71 produced_in=India local=yes',)
    >>> extract("For Su-30 combat aircraft", recipient="China", supplier="Russia").links[0].local is None
    True
    >>> extract("including production of Kh-31P in China as KR-1", recipient="China").summary()
    ('production in=China mode=production as=KR-1 item=Kh-31P',)
    >>> extract("Zhuk-8 version; for modernization of J-8B (J-8-II) combat aircraft to J-8IIM",
    ...         recipient="China").summary()
    ('variant Zhuk-8', 'modernisation of J-8B [combat aircraft] aka=J-8-II to=J-8IIM')
    >>> extract("Operated by government airline; in 3 batches", recipient="China").leftover
    ('in 3 batches',)
    """
    ctx = _Context(comment or "", recipient, supplier)
    reads, left = _read_text(ctx.comment, ctx)
    findings = _decide_local([f for read in reads for f in read.findings], ctx)
    notes = tuple(n for read in reads for n in read.notes)
    by = {cls: tuple(f for f in findings if isinstance(f, cls))
          for cls in (ProgrammeLink, Modernisation, Variant, LocalProduction, Designation, ItemModel)}
    return Extraction(ctx.comment, by[ProgrammeLink], by[Modernisation], by[Variant], by[LocalProduction],
                      by[Designation], by[ItemModel], notes, tuple(left), tuple(findings))


def _decide_local(findings: list, ctx: _Context) -> list:
    """Set :attr:`ProgrammeLink.local` by the rule in the module docstring."""
    local_names = set()
    for f in findings:
        if isinstance(f, Designation) and (f.country is None or same_country(f.country, ctx.recipient)):
            local_names.update(_fold(n) for n in (f.name,) + f.aliases)
        elif isinstance(f, LocalProduction) and f.local_name and same_country(f.country, ctx.recipient):
            local_names.update(_fold(n) for n in (f.local_name,) + f.aliases)
    out = []
    for f in findings:
        if isinstance(f, ProgrammeLink):
            place = f.produced_in or f.from_country
            if f.produced_in and same_country(f.produced_in, ctx.recipient):
                local = True
            elif place:
                local = False
            elif {_fold(n) for n in (f.name,) + f.aliases} & local_names:
                local = True
            else:
                local = None
            f = replace(f, local=local)
        out.append(f)
    return out
