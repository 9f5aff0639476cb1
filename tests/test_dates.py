import datetime as dt

import pytest

from coopgraph.graph.dates import DateFormatError, PartialDate, to_text


@pytest.mark.parametrize(
    "text, precision, earliest, latest",
    [
        ("2015", "year", dt.date(2015, 1, 1), dt.date(2015, 12, 31)),
        ("2015-11", "month", dt.date(2015, 11, 1), dt.date(2015, 11, 30)),
        ("2016-02", "month", dt.date(2016, 2, 1), dt.date(2016, 2, 29)),
        ("2008-12-11", "day", dt.date(2008, 12, 11), dt.date(2008, 12, 11)),
        ("1990s", "decade", dt.date(1990, 1, 1), dt.date(1999, 12, 31)),
    ],
)
def test_partial_dates_keep_the_precision_the_source_gives(text, precision, earliest, latest):
    date = PartialDate.parse(text)
    assert date.precision == precision
    assert (date.earliest, date.latest) == (earliest, latest)
    assert date.isoformat() == text


@pytest.mark.parametrize("text, fragment", [
    ("2015-13", "month 13"),
    ("2015-02-30", "day 30"),
    ("2015/11", "YYYY"),
    ("circa 2015", "YYYY"),
    ("1995s", "YYYY"),
])
def test_impossible_or_malformed_dates_are_rejected_with_the_reason(text, fragment):
    with pytest.raises(DateFormatError, match=fragment):
        PartialDate.parse(text)


def test_year_and_month_of_that_year_are_compatible_not_contradictory():
    assert PartialDate.parse("2015").overlaps(PartialDate.parse("2015-11"))
    assert not PartialDate.parse("2014").overlaps(PartialDate.parse("2015-11"))


def test_yaml_values_are_normalised():
    assert to_text(2015) == "2015"
    assert to_text(dt.date(2019, 4, 1)) == "2019-04-01"
    assert to_text("") is None
