"""ID numbers: what a desk can verify decides — the 18-character form, the check digit, a real
birth date not in the future and an age of at most 130. The region code never refuses a number
(python-stdnum's table refuses real cards: 重庆 50 before 1997, 海南 46 before 1988)."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum.cn import ric

from reception.rules import identity

TODAY = date(2026, 11, 26)

# Every province-level code: 11…15, 21…23, 31…37, 41…46, 50…54, 61…65, 71 (台湾), 81/82 (港澳).
PROVINCES = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82", "83",
]  # fmt: skip
YEARS = [1930, 1950, 1970, 1980, 1987, 1990, 1996, 1997, 2000, 2010, 2025]


def make(first17: str) -> str:
    """A number with its check digit (``calc_check_digit`` looks at the first 17 characters)."""
    assert len(first17) == 17
    return first17 + ric.calc_check_digit(first17 + "0")


def resident_number(province: str, born: date, county: str = "0101", seq: str = "123") -> str:
    return make(f"{province}{county}{born:%Y%m%d}{seq}")


@pytest.mark.parametrize("province", PROVINCES)
@pytest.mark.parametrize("year", YEARS)
def test_every_province_code_and_birth_year_is_accepted(province, year):
    number = resident_number(province, date(year, 6, 15))
    assert identity.normalize(identity.RESIDENT_ID, number, today=TODAY) == number


@pytest.mark.parametrize(
    "number",
    [
        "500101198001011235",  # 重庆 of 1980: 重庆 became a province-level city in 1997
        resident_number("50", date(1996, 12, 31), "0102"),
        resident_number("46", date(1980, 3, 1), "0001"),  # 海南 became a province in 1988
        resident_number("46", date(1987, 12, 31), "0105"),
        resident_number("99", date(1990, 1, 1), "9999"),  # a code no table knows
    ],
)
def test_region_unknown_for_the_birth_year_is_accepted_with_a_note(number):
    with pytest.raises(ric.ValidationError):
        ric.validate(number)  # what used to refuse it
    assert identity.normalize(identity.RESIDENT_ID, number, today=TODAY) == number
    note = identity.region_note(identity.RESIDENT_ID, number)
    assert number[:6] in note and "可以登记" in note


def test_known_region_has_no_note():
    assert identity.region_note(identity.RESIDENT_ID, "11010519491231002X") == ""
    assert identity.region_note("护照", "E12345678") == ""


def test_lower_case_x_spaces_and_fullwidth_digits_are_tidied():
    assert identity.normalize(identity.RESIDENT_ID, "１１０１０５ 19491231 002x", today=TODAY) == (
        "11010519491231002X"
    )


def test_wrong_check_digit_refused():
    good = resident_number("50", date(1980, 1, 1))
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValueError, match="校验位"):
        identity.normalize(identity.RESIDENT_ID, bad, today=TODAY)


def test_future_birth_date_refused():
    with pytest.raises(ValueError, match="晚于今天"):
        identity.normalize(identity.RESIDENT_ID, resident_number("31", date(2026, 11, 27)), today=TODAY)
    # born today is fine
    number = resident_number("31", TODAY)
    assert identity.normalize(identity.RESIDENT_ID, number, today=TODAY) == number


def test_age_above_130_refused():
    born_131 = date(TODAY.year - 131, TODAY.month, TODAY.day)
    with pytest.raises(ValueError, match="130"):
        identity.normalize(identity.RESIDENT_ID, resident_number("11", born_131), today=TODAY)
    born_130 = date(TODAY.year - 131, TODAY.month, TODAY.day + 1)  # 130 until tomorrow
    number = resident_number("11", born_130)
    assert identity.normalize(identity.RESIDENT_ID, number, today=TODAY) == number


@pytest.mark.parametrize("day", ["19900230", "19900431", "19901301", "19900000", "19000229"])
def test_impossible_birth_date_refused(day):
    number = make(f"110105{day}123")
    with pytest.raises(ValueError, match="出生日期不存在"):
        identity.normalize(identity.RESIDENT_ID, number, today=TODAY)


def test_leap_day_accepted():
    number = make("11010520000229123")
    assert identity.normalize(identity.RESIDENT_ID, number, today=TODAY) == number


@pytest.mark.parametrize("number", ["1101051949123100", "11010519491231002Y", "X1010519491231002"])
def test_wrong_form_refused(number):
    with pytest.raises(ValueError, match="18 位"):
        identity.normalize(identity.RESIDENT_ID, number, today=TODAY)


@pytest.mark.parametrize("region", ["810000", "820000", "830000"])
def test_residence_permit_of_hong_kong_macao_taiwan(region):
    number = make(f"{region}19850704123")
    assert identity.RESIDENCE_PERMIT in identity.ID_TYPES
    assert identity.normalize(identity.RESIDENCE_PERMIT, number, today=TODAY) == number
    with pytest.raises(ValueError, match="校验位"):
        identity.normalize(identity.RESIDENCE_PERMIT, number[:17] + ("1" if number[17] == "0" else "0"))
    # typed under 居民身份证 it is accepted too, with a note pointing at the right type
    assert identity.normalize(identity.RESIDENT_ID, number, today=TODAY) == number
    assert identity.RESIDENCE_PERMIT in identity.region_note(identity.RESIDENT_ID, number)


def test_residence_permit_needs_its_region_code():
    with pytest.raises(ValueError, match="810000"):
        identity.normalize(identity.RESIDENCE_PERMIT, make("11010519850704123"), today=TODAY)


def test_foreign_permanent_residence_card_2023_form():
    number = make("93115619850704123")  # 9, 31 上海, 156-style nationality code, birth date, seq
    assert identity.normalize(identity.FOREIGN_PR, number, today=TODAY) == number
    with pytest.raises(ValueError, match="校验位"):
        identity.normalize(
            identity.FOREIGN_PR, number[:17] + ("1" if number[17] == "0" else "0"), today=TODAY
        )
    with pytest.raises(ValueError, match="以 9 开头"):
        identity.normalize(identity.FOREIGN_PR, make("83115619850704123"), today=TODAY)
    with pytest.raises(ValueError, match="晚于今天"):
        identity.normalize(identity.FOREIGN_PR, make("93115620300704123"), today=TODAY)
    # the card issued before 2023: three letters and twelve digits
    assert identity.normalize(identity.FOREIGN_PR, "usa310085070412", today=TODAY) == "USA310085070412"
    with pytest.raises(ValueError, match="外国人永久居留身份证"):
        identity.normalize(identity.FOREIGN_PR, "12345", today=TODAY)


@pytest.mark.parametrize("id_type", [identity.RESIDENCE_PERMIT, identity.FOREIGN_PR])
def test_new_types_are_masked_like_the_others(id_type):
    number = make("81000019850704123") if id_type == identity.RESIDENCE_PERMIT else make("93115619850704123")
    masked = identity.mask(identity.normalize(id_type, number, today=TODAY))
    assert masked == "*" * 14 + number[-4:]  # at most the last 4: the region and birth date hidden
