"""Citizen identity numbers made as GB 11643-1999 says, independently of the code under test.

The check character is ISO 7064 MOD 11-2 over the first 17 digits with the standard's weights
(7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2) and its table of remainders (0→1, 1→0, 2→X, 3→9 … 10→2).
"""

from __future__ import annotations

from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"

#: The standard's own examples (GB 11643-1999, appendix): one ends in X.
STANDARD_EXAMPLES = ("11010519491231002X", "440524188001010014")


def check_character(first17: str) -> str:
    assert len(first17) == 17 and first17.isdigit()
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def resident_id(born: date, serial: int = 1, region: str = "110105") -> str:
    """A valid number for someone born on ``born`` (odd serial: male, even: female)."""
    first17 = f"{region}{born:%Y%m%d}{serial % 1000:03d}"
    return first17 + check_character(first17)


def with_wrong_check(number: str) -> str:
    """The same number with another check character."""
    wrong = next(c for c in CHECK_CHARACTERS if c != number[-1])
    return number[:-1] + wrong
