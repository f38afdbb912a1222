"""Search by name that an index serves: instances whose project or account name contains the
text as typed (case aside; % and _ are text, not wildcards).

PostgreSQL: `ILIKE '%text%'` over the `pg_trgm` GIN indexes on both names (migration 0019
makes them when the role may create the extension; without it the same condition reads
every instance, and docs/deploy.md says what to run). SQLite: the FTS5 table
`instances_search` (trigram tokenizer, kept by triggers) finds the candidates, for three
characters or more by MATCH, shorter ones by scanning its few short rows; the same LIKE as
ever then decides, so the answer is exactly the plain condition's, only found faster.
"""
from __future__ import annotations

from sqlalchemy import and_, bindparam, or_, text

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


_FTS_MATCH = ("instances.id IN (SELECT k.instance_id FROM instances_search JOIN instance_search_keys AS k "
              "ON k.key = instances_search.rowid WHERE instances_search MATCH :search_phrase)")
_FTS_SHORT = ("instances.id IN (SELECT k.instance_id FROM instances_search JOIN instance_search_keys AS k "
              "ON k.key = instances_search.rowid WHERE instances_search.project_name LIKE :search_short "
              "ESCAPE '/' OR instances_search.account_name LIKE :search_short ESCAPE '/')")


def names_contain(dialect: str, search: str):
    """Instances whose project or account name contains `search`, through an index."""
    pattern = like_pattern(search)
    exact = plain(bindparam("search_pattern", pattern))
    if dialect != "sqlite":
        return exact
    if len(search) >= 3:
        return and_(text(_FTS_MATCH).bindparams(search_phrase=phrase(search)), exact)
    return and_(text(_FTS_SHORT).bindparams(search_short=pattern), exact)
