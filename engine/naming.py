"""What an instance is called: a data field its process names, else the process name and number.

The instance table's column decides how long a name may be; the start forms and the web
form take their limit from here (a unit test holds them to it).
"""
from __future__ import annotations

from .db.schema import Instance

NAME_LENGTH: int = Instance.__table__.c.project_name.type.length


def name_from_data(field: str | None, data: dict) -> str | None:
    """The value at the dotted path `field` of `data`, if it is a non-blank string."""
    if not field:
        return None
    value = data
    for part in field.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()[:NAME_LENGTH]


def fallback_name(process_name: str, number: int) -> str:
    return f"{process_name} #{number}"[:NAME_LENGTH]
