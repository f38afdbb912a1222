"""How often SQLite compiles a statement again while it is run with new values.

SQLite compiles (prepares) a statement once and runs it many times; but when its plan depended
on a bound value, binding the next value expires it and the next run compiles it anew, as dear as
the run itself for a long statement. Python's sqlite3 module keeps its statements private, so this
prepares the statement text itself, through SQLite's C interface in the library that module uses,
and asks SQLite's own counter (SQLITE_STMTSTATUS_REPREPARE).
"""
from __future__ import annotations

import ctypes
import _sqlite3

_LIB = ctypes.CDLL(_sqlite3.__file__)        # its symbols include the SQLite library it links
_LIB.sqlite3_open.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
_LIB.sqlite3_prepare_v2.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_void_p),
                                    ctypes.c_void_p]
_LIB.sqlite3_bind_text.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_void_p]
_LIB.sqlite3_bind_int64.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_longlong]
_LIB.sqlite3_bind_double.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_double]
_LIB.sqlite3_bind_null.argtypes = [ctypes.c_void_p, ctypes.c_int]
for _name in ("sqlite3_step", "sqlite3_reset", "sqlite3_finalize"):
    getattr(_LIB, _name).argtypes = [ctypes.c_void_p]
_LIB.sqlite3_stmt_status.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
_LIB.sqlite3_close.argtypes = [ctypes.c_void_p]
_REPREPARE, _ROW, _TRANSIENT = 5, 100, ctypes.c_void_p(-1)


def _bind(statement, index: int, value) -> None:
    if value is None:
        _LIB.sqlite3_bind_null(statement, index)
    elif isinstance(value, int):
        _LIB.sqlite3_bind_int64(statement, index, int(value))
    elif isinstance(value, float):
        _LIB.sqlite3_bind_double(statement, index, value)
    else:
        raw = value.encode() if isinstance(value, str) else bytes(value)
        _LIB.sqlite3_bind_text(statement, index, raw, len(raw), _TRANSIENT)


def prepared_again(path, sql: str, parameters, runs: int = 3) -> int:
    """How many of `runs` runs of `sql` (with its positional `parameters`, bound anew each run,
    as the sqlite3 module does) compiled it again."""
    db, statement = ctypes.c_void_p(), ctypes.c_void_p()
    assert _LIB.sqlite3_open(str(path).encode(), ctypes.byref(db)) == 0
    try:
        assert _LIB.sqlite3_prepare_v2(db, sql.encode(), -1, ctypes.byref(statement), None) == 0, sql
        for _ in range(runs):
            for index, value in enumerate(parameters, 1):
                _bind(statement, index, value)
            while _LIB.sqlite3_step(statement) == _ROW:
                pass
            _LIB.sqlite3_reset(statement)
        return _LIB.sqlite3_stmt_status(statement, _REPREPARE, 0)
    finally:
        _LIB.sqlite3_finalize(statement)
        _LIB.sqlite3_close(db)
