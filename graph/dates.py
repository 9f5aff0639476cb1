"""Partial dates: the precision a source gives, and nothing more.

A source says "in 2015", "in November 2015", "on November 19, 2015" or "in the
early 1990s". :class:`PartialDate` keeps exactly that precision, so ``2015`` and
``2015-11`` are *compatible* rather than unequal, and time filters compare the
whole span a date may stand for.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from dataclasses import dataclass

from coopgraph.graph.errors import CoopgraphError

PRECISIONS = ("decade", "year", "month", "day")

_PATTERN = re.compile(r"^(?:(?P<decade>\d{3}0)s|(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?)$")


class DateFormatError(CoopgraphError, ValueError):
    """A text is not a partial ISO date; the message says which forms are allowed.

    A :class:`~coopgraph.graph.errors.CoopgraphError` like every error coopgraph
    raises on purpose, and a ``ValueError`` as a bad value is.
    """


@dataclass(frozen=True, order=False)
class PartialDate:
    """A date known to a precision of decade, year, month or day.

    Examples
    --------
    >>> d = PartialDate.parse("2015-11")
    >>> d.precision, d.year, d.month
    ('month', 2015, 11)
    >>> d.earliest, d.latest
    (datetime.date(2015, 11, 1), datetime.date(2015, 11, 30))
    >>> PartialDate.parse("1990s").latest
    datetime.date(1999, 12, 31)
    >>> PartialDate.parse("2015").overlaps(PartialDate.parse("2015-11"))
    True
    """

    year: int
    month: int | None = None
    day: int | None = None
    precision: str = "year"

    @classmethod
    def parse(cls, text: object) -> "PartialDate":
        """Parse ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or a decade ``YYY0s``.

        Integers (``2015``) and :class:`datetime.date` values are accepted too,
        because YAML turns unquoted dates into them.
        """
        if isinstance(text, PartialDate):
            return text
        if isinstance(text, _dt.date):
            return cls(text.year, text.month, text.day, "day")
        if isinstance(text, int) and not isinstance(text, bool):
            text = str(text)
        if not isinstance(text, str):
            raise DateFormatError(f"{text!r} is not a date")
        match = _PATTERN.match(text.strip())
        if not match:
            raise DateFormatError(f"'{text}' is not a date in the form YYYY, YYYY-MM, YYYY-MM-DD or YYY0s")
        if match["decade"]:
            return cls(int(match["decade"]), None, None, "decade")
        year = int(match["year"])
        month = int(match["month"]) if match["month"] else None
        day = int(match["day"]) if match["day"] else None
        if month is not None and not 1 <= month <= 12:
            raise DateFormatError(f"'{text}' has month {month:02d}; months run from 01 to 12")
        if day is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise DateFormatError(f"'{text}' has day {day:02d}; {year}-{month:02d} has {last} days")
        precision = "day" if day else "month" if month else "year"
        return cls(year, month, day, precision)

    @property
    def earliest(self) -> _dt.date:
        """The first day the date may stand for."""
        return _dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> _dt.date:
        """The last day the date may stand for."""
        if self.precision == "decade":
            return _dt.date(self.year + 9, 12, 31)
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return _dt.date(self.year, month, day)

    def overlaps(self, other: "PartialDate") -> bool:
        """True when the two dates may stand for the same day."""
        return self.earliest <= other.latest and other.earliest <= self.latest

    def isoformat(self) -> str:
        """The text form, at the date's own precision (``2015-11``, ``1990s``)."""
        if self.precision == "decade":
            return f"{self.year}s"
        if self.precision == "year":
            return f"{self.year:04d}"
        if self.precision == "month":
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def __str__(self) -> str:
        return self.isoformat()

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Order by earliest day; a coarser date sorts before a finer one inside it."""
        return (self.year, self.month or 0, self.day or 0)


def parse_optional(value: object) -> PartialDate | None:
    """Parse a date or return ``None`` for an empty value."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return PartialDate.parse(value)


def to_text(value: object) -> str | None:
    """Normalise a date-like value to its text form (``None`` stays ``None``).

    >>> to_text(2015), to_text("2015-11"), to_text(None)
    ('2015', '2015-11', None)
    """
    date = parse_optional(value)
    return date.isoformat() if date else None
