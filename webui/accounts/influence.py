"""The account's simple influence map: its people as a tree of who reports to whom."""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.workspace.views import ContactView


@dataclass
class Node:
    contact: ContactView
    reports: list["Node"] = field(default_factory=list)


def influence_map(contacts: list[ContactView]) -> list[Node]:
    """Top people first (those who report to nobody here), each with the people under them,
    in the order the contacts came (decision makers first)."""
    nodes = {c.id: Node(c) for c in contacts}
    roots = []
    for contact in contacts:
        boss = nodes.get(contact.reports_to_id or "")
        (boss.reports if boss is not None else roots).append(nodes[contact.id])
    return roots
