"""Search by name that an index serves: instances whose project or account name contains the
text as typed (case aside; % and _ are text, not wildcards).

PostgreSQL: `ILIKE '%text%'` over the `pg_trgm` GIN indexes on both names (migration 0019
makes them when the role may create the extension; without it the same condition reads
every instance, and docs/deploy.md says what to run). SQLite: the names are copied by
triggers into the narrow table `instance_names`, with the FTS5 table `instances_search`
(trigram tokenizer) over it: three characters or more find their candidates by MATCH,
shorter ones (one or two Chinese characters are common searches) by scanning the narrow
table, not the instances and their workflow state; the same LIKE as ever then decides, over
the copied names, so the answer is exactly the plain condition's, only found faster. The
unary `+` keeps SQLite walking the list's own index (newest first) and checking each id
against the matches, rather than fetching every match's (large) row to sort them: a common
word (公司, 北) matches tens of thousands of instances, a rare one costs a walk of the index.
"""
from __future__ import annotations

from sqlalchemy import bindparam, or_, text

from .schema import Instance

ESCAPE = "/"


def like_pattern(search: str) -> str:
    """`search` inside a LIKE pattern that finds it anywhere, as typed."""
    return "%" + search.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_") + "%"


def phrase(search: str) -> str:
    """`search` as one FTS5 phrase: inside double quotes every character is text."""
    return '"' + search.replace('"', '""') + '"'


def plain(pattern):
    """The condition itself (`pattern` from `like_pattern`), as every database understands it."""
    return or_(Instance.project_name.ilike(pattern, escape=ESCAPE), Instance.account_name.ilike(pattern, escape=ESCAPE))


# Written out whole (no string building), so a reader and bandit see constant SQL with bound values.
_FTS_MATCH = ("+instances.id IN (SELECT n.instance_id FROM instances_search JOIN instance_names AS n "
              "ON n.key = instances_search.rowid WHERE instances_search MATCH :search_phrase AND "
              "(n.project_name LIKE :search_pattern ESCAPE '/' OR n.account_name LIKE :search_pattern ESCAPE '/'))")
_SHORT = ("+instances.id IN (SELECT n.instance_id FROM instance_names AS n WHERE "
          "(n.project_name LIKE :search_pattern ESCAPE '/' OR n.account_name LIKE :search_pattern ESCAPE '/'))")


def names_contain(dialect: str, search: str):
    """Instances whose project or account name contains `search`, through an index."""
    pattern = like_pattern(search)
    if dialect != "sqlite":
        return plain(bindparam("search_pattern", pattern))
    if len(search) >= 3:
        return text(_FTS_MATCH).bindparams(search_phrase=phrase(search), search_pattern=pattern)
    return text(_SHORT).bindparams(search_pattern=pattern)
