"""The rep's own data, in the rep's hands: prune old activity, export everything, erase everything.

Export writes a zip the rep can read anywhere (a JSON dump of every table with personal content opened, the
settings, and the weekly exports already made); it is NOT encrypted, and the window says so before it is written.
Erase removes the database (and its backups), the settings, the logs, the exports and the keyring entry.
"""

from __future__ import annotations

import base64
import calendar
import io
import json
import logging
import shutil
import sqlite3
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

from companion import __version__
from companion.core.crypto import Vault
from companion.core.errors import CompanionError, ExportError, KeyUnavailable
from companion.core.exports_record import remembered_exports, remove_exports
from companion.core.i18n import N_, _
from companion.core.interfaces import SecretStore
from companion.core.keys import keyring_account_in
from companion.core.paths import AppPaths, write_private_atomically
from companion.core.settings import Settings, settings_to_dict
from companion.core.store import Store

log = logging.getLogger(__name__)

# Tables whose `content` column is sealed by the Vault, and the record kind it was sealed under (docs/data-model.md).
# A new table with sealed content must be added here, or the export cannot open it (a test checks this).
SEALED_KINDS = {"rough_calls": "rough_call", "cooldowns": "cooldown", "journal_entries": "journal"}
# Wrapped keys are useless outside this database and are the one thing an export must not spread.
NOT_EXPORTED = frozenset({"key_wraps"})
DUMP_NAME = "companion-data.json"


class ExportStage(Enum):
    """How far Export everything got, in the order it gets there (the Settings window words each one)."""

    ACTIVITY = 1  # the plain tables: activity, breaks, check-ins
    JOURNAL = 2  # the sealed records opened: journal entries, rough-call notes, cooldown reflections
    PACKING = 3  # the JSON and the zip, with the weekly exports made before
    WRITING = 4  # the file written on disk


ExportProgress = Callable[[ExportStage], None]


def _no_progress(stage: ExportStage) -> None:
    """Nobody is watching (the tests, a caller that only wants the file)."""


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier; the 31st becomes the month's last day."""
    month_index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def prune_activity(store: Store, now: datetime, retention_months: int) -> int:
    """Delete activity intervals that ended more than `retention_months` ago; 0 keeps everything.

    Returns how many intervals went. Only activity intervals are pruned: they are the bulk of the file.
    """
    if retention_months <= 0:
        return 0
    cutoff = months_before(now, retention_months).timestamp()
    with store.transaction() as conn:
        removed = conn.execute("DELETE FROM activity_intervals WHERE end_utc < ?", (cutoff,)).rowcount
    log.info("retention: removed %d activity intervals older than %d months", removed, retention_months)
    return removed


def _table_names(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )
    return [name for (name,) in rows]


def tables_with_sealed_content(connection: sqlite3.Connection) -> list[str]:
    return [
        table
        for table in _table_names(connection)
        if any(column[1] == "content" for column in connection.execute(f'PRAGMA table_info("{table}")'))
    ]


def _plain(value: Any) -> Any:
    return base64.b64encode(value).decode("ascii") if isinstance(value, bytes) else value


def _dump_table(connection: sqlite3.Connection, table: str, vault: Vault) -> list[dict[str, Any]]:
    cursor = connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
    columns = [description[0] for description in cursor.description]
    kind = SEALED_KINDS.get(table)
    rows = []
    for values in cursor:
        row = dict(zip(columns, values, strict=True))
        if kind is not None and row.get("content") is not None:
            row["content"] = vault.open_record(kind, row["uid"], row["content"])
        rows.append({key: _plain(value) for key, value in row.items()})
    return rows


def build_dump(
    store: Store, vault: Vault, settings: Settings, now: datetime, progress: ExportProgress = _no_progress
) -> dict[str, Any]:
    """Everything in the database as plain JSON, personal content opened; KeyUnavailable if it is locked.

    `progress` hears ACTIVITY before the plain tables are read and JOURNAL before the sealed ones are opened."""
    connection = store.connection
    unknown = [table for table in tables_with_sealed_content(connection) if table not in SEALED_KINDS]
    if unknown:
        raise ExportError(
            _("Companion does not know how to open the records in {tables}; nothing was exported.").format(
                tables=", ".join(unknown)
            )
        )
    has_sealed = any(
        connection.execute(f'SELECT 1 FROM "{table}" WHERE content IS NOT NULL LIMIT 1').fetchone()
        for table in SEALED_KINDS
        if table in _table_names(connection)
    )
    if has_sealed and not vault.is_unlocked:
        raise KeyUnavailable(_("Unlock your journal first: the export includes your journal and notes."))
    exported = [table for table in _table_names(connection) if table not in NOT_EXPORTED]
    progress(ExportStage.ACTIVITY)
    tables = {table: _dump_table(connection, table, vault) for table in exported if table not in SEALED_KINDS}
    progress(ExportStage.JOURNAL)
    tables |= {table: _dump_table(connection, table, vault) for table in exported if table in SEALED_KINDS}
    return {
        "exported_at": now.isoformat(timespec="seconds"),
        "companion_version": __version__,
        "schema_version": store.version,
        "settings": settings_to_dict(settings),
        "tables": {table: tables[table] for table in exported},
    }


README_TEXT = N_("""\
Everything Companion kept on this computer, exported {when}.

companion-data.json  every record, with your journal and notes readable, and your settings
exports/             the weekly summaries you exported before that are still where you saved them

This file is NOT encrypted. Anyone who has it can read your journal. Keep it somewhere only you can reach,
and delete it when you no longer need it.
""")  # translated when it is written


def export_everything(
    store: Store,
    vault: Vault,
    settings: Settings,
    paths: AppPaths,
    target: Path,
    now: datetime,
    progress: ExportProgress = _no_progress,
) -> Path:
    """Write the zip to `target` (private file, written whole or not at all) and return its path.

    `progress` hears each ExportStage as it begins, in order (from the thread this runs in)."""
    # Here, not at the top: the Settings feature imports this module at start, and summary_export brings the
    # week's documents, charts, csv and html.entities with it (0.7 MB the idle tray never needs).
    from companion.core.summary_export import refuse_unusual_target

    dump = build_dump(store, vault, settings, now, progress)
    progress(ExportStage.PACKING)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", _(README_TEXT).format(when=now.strftime("%Y-%m-%d %H:%M")))
        archive.writestr(DUMP_NAME, json.dumps(dump, ensure_ascii=False, indent=1, sort_keys=True))
        for name, file in _earlier_exports(store, paths):
            archive.write(file, f"exports/{name}")
    refuse_unusual_target(target)
    progress(ExportStage.WRITING)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_private_atomically(target, buffer.getvalue())
    except OSError as error:
        raise ExportError(
            _("The export could not be written to {target} ({reason}).").format(
                target=target, reason=error.strerror or error
            )
        ) from error
    counts = {table: len(rows) for table, rows in dump["tables"].items()}
    log.info("exported everything: %s", counts)
    return target


def _earlier_exports(store: Store, paths: AppPaths) -> list[tuple[str, Path]]:
    """The weekly exports Companion wrote (remembered in the database) that are still regular files, with a unique
    name each inside the zip, plus anything in the data folder's exports folder."""
    found = [file for file in remembered_exports(store) if file.is_file() and not file.is_symlink()]
    if paths.exports.is_dir():
        found += [file for file in sorted(paths.exports.rglob("*")) if file.is_file() and not file.is_symlink()]
    named: list[tuple[str, Path]] = []
    used: set[str] = set()
    for file in found:
        name, counter = file.name, 1
        while name in used:
            counter += 1
            name = f"{file.stem}-{counter}{file.suffix}"
        used.add(name)
        named.append((name, file))
    return named


@dataclass
class EraseReport:
    removed: list[Path] = field(default_factory=list)
    keyring_entry_removed: bool = False
    problems: list[str] = field(default_factory=list)


def _files_to_erase(paths: AppPaths) -> list[Path]:
    database = paths.database
    found = [paths.settings_file, paths.exports]
    found += sorted(database.parent.glob(f"{database.name}*"))  # the file, -wal, -shm, backups, broken copies
    if paths.logs.is_dir():
        found += sorted(paths.logs.glob(f"{paths.log_file.name}*"))  # the log and its rotations
    return [path for path in found if path.exists()]


def erase_everything(paths: AppPaths, store: Store, secrets: SecretStore | None) -> EraseReport:
    """Close the store and delete every file Companion keeps about the rep, then the keyring entry.

    Carries on past a file that cannot be removed and lists it, so one stuck file does not keep the rest.
    """
    report = EraseReport()
    account = keyring_account_in(store)
    exports = remembered_exports(store)
    store.close()
    removal = remove_exports(exports)
    report.removed += removal.removed
    report.problems += removal.problems
    for path in _files_to_erase(paths):
        try:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
            report.removed.append(path)
        except OSError as error:
            reason = error.strerror or error
            report.problems.append(_("{path} could not be removed ({reason}).").format(path=path, reason=reason))
    if account is not None and secrets is not None:
        try:
            secrets.delete(account)
            report.keyring_entry_removed = True
        except CompanionError as error:
            removal_problem = _("The key in your keyring could not be removed: {reason}")
            report.problems.append(removal_problem.format(reason=error.message))
    elif account is not None:
        report.problems.append(_("The key in your keyring could not be reached; remove 'Companion' from it by hand."))
    log.info("erased %d files; keyring entry removed: %s", len(report.removed), report.keyring_entry_removed)
    return report
