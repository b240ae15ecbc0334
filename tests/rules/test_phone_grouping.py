"""A revealed number is shown grouped as it is read out and dialled (issue 17, finding 13)."""

from __future__ import annotations

import pytest

from reception.rules import phones


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("13812345678", "138 1234 5678"),
        ("021-50001234", "021 5000 1234"),
        ("0755-8888123", "0755 888 8123"),
        ("95511", "9 5511"),
        ("", ""),
    ],
)
def test_numbers_are_grouped_for_reading_out(stored, shown):
    assert phones.grouped(stored) == shown
