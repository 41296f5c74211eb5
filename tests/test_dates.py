import datetime as dt

import pytest

from ontology.dates import PartialDate, parse_date, parse_interval


@pytest.mark.parametrize(("value", "iso", "precision"), [
    ("2019", "2019", "year"),
    (2019, "2019", "year"),
    ("2019-09", "2019-09", "month"),
    ("2019-09-09", "2019-09-09", "day"),
    (dt.date(2015, 5, 29), "2015-05-29", "day"),
])
def test_parse_date_keeps_precision(value, iso, precision):
    date = parse_date(value)
    assert date.iso == iso
    assert date.precision == precision


@pytest.mark.parametrize("bad", ["2019-13-45", "2019-02-30", "2019-13", "19", "Sept 2019", None,
                                 True])
def test_parse_date_rejects_non_dates(bad):
    with pytest.raises(ValueError):
        parse_date(bad)


def test_partial_dates_sort_before_the_days_they_contain():
    dates = [parse_date(t) for t in ("2019-03-05", "2019", "2018-12-31", "2019-03")]
    assert [d.iso for d in sorted(dates)] == ["2018-12-31", "2019", "2019-03", "2019-03-05"]


def test_bounds_of_a_partial_date():
    assert PartialDate("2020-02").latest == "2020-02-29"
    assert PartialDate("2019").earliest == "2019-01-01"
    assert PartialDate("2019").latest == "2019-12-31"


def test_literal_datatype_follows_precision():
    assert parse_date("2019").literal().datatype.value.endswith("#gYear")
    assert parse_date("2019-09").literal().datatype.value.endswith("#gYearMonth")
    assert parse_date("2019-09-09").literal().datatype.value.endswith("#date")


def test_interval():
    start, end = parse_interval("2019-06-27/2019-06-29")
    assert (start.iso, end.iso) == ("2019-06-27", "2019-06-29")
    assert parse_interval("2019") == (PartialDate("2019"), None)
    with pytest.raises(ValueError, match="ends before it starts"):
        parse_interval("2019-06-29/2019-06-27")
