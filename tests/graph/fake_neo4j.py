"""A recording fake of the ``neo4j`` driver, for proving the Neo4j store offline.

It stands in for ``neo4j.GraphDatabase.driver`` only: the store under test is
the real one, and so are the driver's own pieces it uses (``unit_of_work``,
the bookmark manager, ``Record``, the exception classes). What the fake
replaces is the network and the server:

- every statement is recorded with its parameters, the transaction it ran in
  (read or write, timeout, attempt, committed or rolled back), the session's
  database and bookmark manager;
- parameters go through the driver's own PackStream packer, as they would on
  the wire, so a value the driver cannot send fails here too; a float NaN is
  refused as well (the server would store NaN where the store means null);
- ``execute_read``/``execute_write`` run the transaction function the way the
  driver does: commit on return, roll back on an exception, and run it again
  after a retryable error;
- answers are scripted by the test (``server.on(...)``), errors too
  (``server.fail(...)``), with real driver exceptions (``server_error``).

It proves what the store sends and how it handles what comes back (syntax is
left to the Cypher linter); it cannot prove what a real server would answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import neo4j
from neo4j import exceptions as errors

#: Attempts of a transaction function after retryable errors (the driver retries for 30 s).
MAX_ATTEMPTS = 3


def server_error(code: str, message: str = "scripted failure") -> errors.Neo4jError:
    """The driver's exception for a server failure ``code``, as the driver builds it."""
    hydrate = getattr(errors.Neo4jError, "_hydrate_neo4j", None) or errors.Neo4jError.hydrate
    return hydrate(code=code, message=message)


def pack(value: Any) -> bytes:
    """``value`` packed by the driver's PackStream packer (what a RUN message carries)."""
    from neo4j._codec.packstream import v1

    buffer_type = getattr(v1, "PackableBuffer", None)
    if buffer_type is None:  # driver 6
        from neo4j._codec.packstream._common import PackableBuffer as buffer_type
    try:
        from neo4j._codec.hydration.bolt.v2 import HydrationHandler  # driver 6
    except ImportError:
        from neo4j._codec.hydration.v2 import HydrationHandler  # driver 5
    hooks = HydrationHandler().new_hydration_scope().dehydration_hooks
    buffer = buffer_type()
    v1.Packer(buffer).pack(value, dehydration_hooks=hooks)
    return bytes(buffer.data)


def _nans(value: Any, path: str = "") -> list[str]:
    if isinstance(value, float) and math.isnan(value):
        return [path or "value"]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _nans(v, f"{path}.{k}" if path else str(k))]
    if isinstance(value, (list, tuple)):
        return [p for i, v in enumerate(value) for p in _nans(v, f"{path}[{i}]")]
    return []


@dataclass
class Statement:
    """One statement the store sent."""

    query: str
    params: dict
    transaction: FakeTransaction | None  # None: an auto-commit run
    session: FakeSession

    @property
    def mode(self) -> str:
        return self.transaction.mode if self.transaction else "AUTOCOMMIT"


@dataclass
class FakeTransaction:
    session: FakeSession
    mode: str  # "READ" or "WRITE"
    timeout: float | None
    metadata: dict | None
    attempt: int
    statements: list[Statement] = field(default_factory=list)
    state: str = "open"  # then "committed" or "rolled back"

    def run(self, query, parameters: dict | None = None, **kwparameters) -> FakeResult:
        assert self.state == "open", "statement sent on a closed transaction"
        return self.session.server._execute(self.session, self, query, {**(parameters or {}), **kwparameters})


class FakeResult:
    def __init__(self, keys: list[str], rows: list[list]):
        self._keys = keys
        self._records = [neo4j.Record(zip(keys, row, strict=False)) for row in rows]

    def keys(self) -> list[str]:
        return list(self._keys)

    def __iter__(self):
        return iter(self._records)

    def single(self, strict: bool = False):
        if len(self._records) != 1:
            if strict or len(self._records) > 1:
                raise errors.ResultNotSingleError(None, f"expected one record, got {len(self._records)}")
            return None
        return self._records[0]

    def data(self) -> list[dict]:
        return [r.data() for r in self._records]

    def consume(self):
        self._records = []


class FakeSession:
    def __init__(self, driver: FakeDriver, config: dict):
        self.driver, self.server, self.config = driver, driver.server, config
        self.closed = False

    @property
    def database(self):
        return self.config.get("database")

    @property
    def bookmark_manager(self):
        return self.config.get("bookmark_manager")

    def execute_read(self, work: Callable, *args, **kwargs):
        return self._transaction("READ", work, args, kwargs)

    def execute_write(self, work: Callable, *args, **kwargs):
        return self._transaction("WRITE", work, args, kwargs)

    def _transaction(self, mode, work, args, kwargs):
        assert not self.closed, "transaction on a closed session"
        for attempt in range(1, MAX_ATTEMPTS + 1):
            tx = FakeTransaction(self, mode, getattr(work, "timeout", None), getattr(work, "metadata", None), attempt)
            self.server.transactions.append(tx)
            try:
                result = work(tx, *args, **kwargs)
            except Exception as exc:
                tx.state = "rolled back"
                retryable = isinstance(exc, (errors.Neo4jError, errors.DriverError)) and exc.is_retryable()
                if retryable and attempt < MAX_ATTEMPTS:
                    continue
                raise
            tx.state = "committed"
            return result
        raise AssertionError("unreachable")

    def run(self, query, parameters: dict | None = None, **kwparameters) -> FakeResult:
        assert not self.closed
        return self.server._execute(self, None, query, {**(parameters or {}), **kwparameters})

    def close(self) -> None:
        self.closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class FakeDriver:
    def __init__(self, server: FakeServer, uri: str, auth, config: dict):
        self.server, self.uri, self.auth, self.config = server, uri, auth, config
        self.sessions: list[FakeSession] = []
        self.closed = False

    def verify_connectivity(self, **config) -> None:
        if self.server.connect_error is not None:
            raise self.server.connect_error

    def session(self, **config) -> FakeSession:
        assert not self.closed, "session on a closed driver"
        session = FakeSession(self, config)
        self.sessions.append(session)
        return session

    def close(self) -> None:
        self.closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


Answer = list[dict] | Callable[[dict], list[dict]]


class FakeServer:
    """The scripted server behind every ``FakeDriver``; it records all that reaches it."""

    def __init__(self):
        self.drivers: list[FakeDriver] = []
        self.transactions: list[FakeTransaction] = []
        self.autocommit: list[Statement] = []
        #: Raised by ``neo4j.GraphDatabase.driver(...)`` itself (e.g. ValueError for a bad address).
        self.driver_error: Exception | None = None
        #: Raised by ``driver.verify_connectivity()``.
        self.connect_error: Exception | None = None
        self.sent: list[Statement] = []
        self._answers: list[tuple[re.Pattern, Answer]] = []
        self._failures: list[list] = []  # [pattern, error, times left, attempts only]

    # -- scripting ------------------------------------------------------------
    def on(self, pattern: str, answer: Answer) -> None:
        """Answer statements matching the regex ``pattern`` (latest rule first) with rows
        (dicts, in column order) or with ``answer(params)``."""
        self._answers.insert(0, (re.compile(pattern, re.DOTALL), answer))

    def fail(self, pattern: str, error: Exception, *, times: int = 1, after: int = 0) -> None:
        """Raise ``error`` on the next ``times`` statements matching ``pattern``, once
        ``after`` of them have run."""
        self._failures.append([re.compile(pattern, re.DOTALL), error, times, after])

    # -- what was sent ------------------------------------------------------------
    @property
    def statements(self) -> list[Statement]:
        """Every statement, in the order sent (committed or not)."""
        return list(self.sent)

    @property
    def committed(self) -> list[FakeTransaction]:
        return [tx for tx in self.transactions if tx.state == "committed"]

    @property
    def driver(self) -> FakeDriver:
        assert len(self.drivers) == 1, f"{len(self.drivers)} drivers were made"
        return self.drivers[0]

    # -- the driver's side ----------------------------------------------------------
    def make_driver(self, uri: str, *, auth=None, **config) -> FakeDriver:
        """Stands in for ``neo4j.GraphDatabase.driver``."""
        if self.driver_error is not None:
            raise self.driver_error
        driver = FakeDriver(self, uri, auth, config)
        self.drivers.append(driver)
        return driver

    def _execute(self, session, tx, query, params) -> FakeResult:
        if not isinstance(query, str):
            raise TypeError(f"query must be text, got {type(query).__name__}")
        pack(params)  # raises as the driver would, for a value it cannot send
        nans = _nans(params)
        if nans:
            raise ValueError(f"NaN in parameters {nans[:3]}: the server would store NaN, not null")
        statement = Statement(query, params, tx, session)
        (tx.statements if tx else self.autocommit).append(statement)
        self.sent.append(statement)
        for failure in self._failures:
            pattern, error, times, after = failure
            if times > 0 and pattern.search(query):
                if after > 0:
                    failure[3] -= 1
                    continue
                failure[2] -= 1
                raise error
        for pattern, answer in self._answers:
            if pattern.search(query):
                rows = answer(params) if callable(answer) else answer
                keys = list(rows[0]) if rows else _return_columns(query)
                return FakeResult(keys, [[row.get(k) for k in keys] for row in rows])
        return FakeResult(_return_columns(query), [])


def _return_columns(query: str) -> list[str]:
    """The aliases of the last RETURN clause (for an empty answer's keys)."""
    tail = re.split(r"\bRETURN\b", query, flags=re.IGNORECASE)
    if len(tail) < 2:
        return []
    body = re.split(r"\b(?:ORDER\s+BY|LIMIT|SKIP)\b", tail[-1], flags=re.IGNORECASE)[0]
    return re.findall(r"\bAS\s+(\w+)", body, flags=re.IGNORECASE)
