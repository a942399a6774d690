"""Pure customer rules: phone numbers, identity documents, postal codes, tags. No database access.

Each `validate_*` returns the normalised value or raises `PolicyError` (from org.policies) with a
translatable message. The unified social credit code rule lives in `qudao.org.policies`
(`validate_credit_code`) and is reused here, not repeated.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from datetime import date

from django.utils.translation import gettext_lazy as _

from qudao.org.policies import PolicyError, validate_credit_code

__all__ = [
    "PolicyError",
    "id_number_digest",
    "mask_id_number",
    "normalize_mobile",
    "resident_id_check_char",
    "validate_code",
    "validate_contact_phone",
    "validate_credit_code",
    "validate_id_number",
    "validate_mobile",
    "validate_postal_code",
    "validate_tags",
]

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
#: area code (010, 021, 0755 …), 7–8 digit number, optional extension
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
#: nationwide service numbers: 400-xxx-xxxx / 800-xxx-xxxx
SERVICE_NUMBER_RE = re.compile(r"^[48]00-?\d{3}-?\d{4}$")
POSTAL_CODE_RE = re.compile(r"^\d{6}$")
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,31}$")
_SEPARATORS = re.compile(r"[\s\-()]")

RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK = "10X98765432"
RESIDENT_ID = "resident_id"
ID_NUMBER_RE = re.compile(r"^[A-Z0-9]{5,32}$")

MAX_TAGS = 30
MAX_TAG_LENGTH = 32


# --- phones --------------------------------------------------------------------------------------


def normalize_mobile(value: str) -> str:
    """Digits only, without the +86 / 0086 country prefix: "+86 138-0013-8000" → "13800138000"."""
    digits = _SEPARATORS.sub("", value.strip())
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def validate_mobile(value: str) -> str:
    """A mainland China mobile number (1[3-9] followed by 9 digits), normalised to 11 digits."""
    mobile = normalize_mobile(value)
    if not MOBILE_RE.match(mobile):
        raise PolicyError(_("Enter a mainland China mobile number: 11 digits starting with 13–19."))
    return mobile


def validate_contact_phone(value: str) -> str:
    """A mobile number, a landline with area code (021-12345678) or a 400/800 service number."""
    text = value.strip()
    mobile = normalize_mobile(text)
    if MOBILE_RE.match(mobile):
        return mobile
    compact = re.sub(r"\s", "", text)
    if LANDLINE_RE.match(compact) or SERVICE_NUMBER_RE.match(compact):
        return compact
    raise PolicyError(
        _("Enter a mobile number, a landline with its area code (021-12345678) or a 400/800 number.")
    )


# --- identity documents --------------------------------------------------------------------------


def resident_id_check_char(first17: str) -> str:
    """The 18th character of a resident identity number (GB 11643-1999, ISO 7064 MOD 11-2)."""
    total = sum(int(ch) * w for ch, w in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECK[total % 11]


def validate_id_number(value: str, *, id_type: str, today: date | None = None) -> str:
    """Normalise an identity document number; resident identity numbers are fully verified
    (18 characters, a real birth date not in the future, the check character)."""
    number = re.sub(r"[\s\-]", "", value).upper()
    if id_type == RESIDENT_ID:
        if not re.match(r"^\d{17}[\dX]$", number):
            raise PolicyError(_("A resident identity number has 17 digits and a digit or X."))
        try:
            born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        except ValueError as exc:
            raise PolicyError(_("The birth date inside the identity number is not a real date.")) from exc
        if born > (today or date.today()) or born.year < 1900:
            raise PolicyError(_("The birth date inside the identity number is not plausible."))
        if resident_id_check_char(number[:17]) != number[17]:
            raise PolicyError(_("The check character of the identity number is wrong."))
        return number
    if not ID_NUMBER_RE.match(number):
        raise PolicyError(_("A document number has 5 to 32 letters and digits."))
    return number


def mask_id_number(number: str) -> str:
    """What may be stored and shown: "110105********002X" keeps the first 3 and last 4 characters of
    long numbers, the first and last 2 of shorter ones."""
    if len(number) >= 15:
        return number[:3] + "*" * (len(number) - 7) + number[-4:]
    if len(number) >= 6:
        return number[:1] + "*" * (len(number) - 3) + number[-2:]
    return "*" * len(number)


def id_number_digest(number: str, *, id_type: str, key: str) -> str:
    """A keyed hash (HMAC-SHA256) of the document: finds duplicates without keeping the number."""
    message = f"{id_type}:{number}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


# --- codes, addresses and tags ------------------------------------------------------------------


def validate_code(value: str) -> str:
    """A record code: 1–32 ASCII letters, digits and . _ - /, starting with a letter or digit."""
    code = value.strip()
    if not CODE_RE.match(code):
        raise PolicyError(
            _("A code has 1 to 32 letters, digits and . _ - / and starts with a letter or digit.")
        )
    return code


def validate_postal_code(value: str) -> str:
    code = value.strip()
    if not POSTAL_CODE_RE.match(code):
        raise PolicyError(_("A postal code has 6 digits."))
    return code


def validate_tags(values: Iterable[object]) -> list[str]:
    """Strip, drop empties, keep the first of duplicates, in order; at most 30 tags of ≤ 32 characters."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise PolicyError(_("Tags are a list of words."))
    tags: list[str] = []
    for value in values:
        if not isinstance(value, str):
            raise PolicyError(_("Each tag must be text."))
        tag = value.strip()
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise PolicyError(_("A tag has at most %(max)d characters.") % {"max": MAX_TAG_LENGTH})
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise PolicyError(_("A customer has at most %(max)d tags.") % {"max": MAX_TAGS})
    return tags
