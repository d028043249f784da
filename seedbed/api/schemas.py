from ninja import Schema
from pydantic import field_validator


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class Input(Schema):
    """Base of every request body: NUL characters are refused with a 422 naming the field
    (PostgreSQL cannot store them, and no real text contains them)."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul_characters(cls, value):
        if _has_nul(value):
            raise ValueError("must not contain NUL characters")
        return value
