"""The journal window: today and its check-in on top, then entries by day; search, filters, the entry editor.

It reads and writes through the core Journal while unlocked and emits intents for what the app decides
(lock, unlock, export, check in). Locking clears every decrypted word from the widgets; unsaved text is saved
first, so locking (or auto-lock) never loses a word.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QFontMetrics, QKeySequence, QPainter, QPalette, QShortcut, QTextLayout
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from companion.core.call_notes import CallNote, matching_notes
from companion.core.journal import (
    WRITING_KINDS,
    CheckIn,
    Content,
    EntryKind,
    Journal,
    JournalEntry,
    SearchableEntries,
    search_in,
)
from companion.core.text import date_text  # the product's one way to write a date, whatever the locale
from companion.ui.journal_forms import EntryForm, delete_question, describe, form_for, kind_label, reading_font
from companion.ui.keyboard_model import escape_closes
from companion.ui.worker import BackgroundWork

log = logging.getLogger(__name__)

UID_ROLE = Qt.ItemDataRole.UserRole
META_ROLE = Qt.ItemDataRole.UserRole + 1
HEADER_ROLE = Qt.ItemDataRole.UserRole + 2
SEARCH_DELAY_MS = 120
PREVIEW_LINES = 3
MAX_LISTED = 400  # enough to scroll; search narrows the rest
ROWS_PER_TURN = 50  # a search's rows go in this many at a time, one event-loop turn each: typing never waits long
ALL = ""
CALL_NOTES = "call_notes"  # the kind filter's value for notes and reflections written with a rough call


Shown = JournalEntry | CallNote


def _moment(shown: Shown) -> float:
    return shown.created_utc if isinstance(shown, JournalEntry) else shown.at.timestamp()


@dataclass(frozen=True)
class SearchCriteria:
    """What the search field and the two filters ask for, read on the GUI thread."""

    query: str
    kind_value: str
    tag: str | None

    @property
    def kinds(self) -> set[EntryKind] | None:
        return {EntryKind(self.kind_value)} if self.kind_value and self.kind_value != CALL_NOTES else None


def find(entries: SearchableEntries | Journal, notes: list[CallNote], criteria: SearchCriteria) -> list[Shown]:
    """Entries and rough-call notes that match, newest first. Pure: the window's searches run it on a worker over
    copies (`Journal.searchable`, the notes list); a refresh on the GUI thread runs it over the journal itself."""
    found: list[Shown] = []
    if criteria.kind_value != CALL_NOTES:
        if isinstance(entries, Journal):
            found += entries.search(criteria.query, criteria.kinds, criteria.tag)
        else:
            found += search_in(entries.indexed, criteria.query, criteria.kinds, criteria.tag)
    if criteria.kind_value in (ALL, CALL_NOTES) and criteria.tag is None:
        found += matching_notes(notes, criteria.query)
    found.sort(key=_moment, reverse=True)
    return found


class EntryDelegate(QStyledItemDelegate):
    """Draws a day heading, or an entry as a quiet time/kind line above its preview."""

    PADDING = 10

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Preview lines per row, by the text's hash, the width and the font: the list measures every row listed so
        # far each time a batch of rows comes in, and wrapping a preview is the slow part (issue 15). Hashes, so no
        # decrypted word stays here after a lock.
        self._line_counts: dict[tuple[int, int, str], int] = {}

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        painter.save()
        rect = option.rect.adjusted(self.PADDING, 6, -self.PADDING, -6)
        palette = option.palette
        if index.data(HEADER_ROLE):
            font = QFont(option.font)
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 1.05)
            painter.setFont(font)
            painter.setPen(palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText))
            painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, index.data())
            painter.restore()
            return
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, palette.color(QPalette.ColorRole.Highlight))
            text_color = palette.color(QPalette.ColorRole.HighlightedText)
            meta_color = text_color
        else:
            text_color = palette.color(QPalette.ColorRole.Text)
            meta_color = palette.color(QPalette.ColorRole.PlaceholderText)
        meta_font = QFont(option.font)
        meta_font.setPointSizeF(meta_font.pointSizeF() * 0.9)
        painter.setFont(meta_font)
        painter.setPen(meta_color)
        meta_height = painter.fontMetrics().height()
        painter.drawText(QRect(rect.left(), rect.top(), rect.width(), meta_height), 0, index.data(META_ROLE) or "")
        painter.setFont(option.font)
        painter.setPen(text_color)
        top = rect.top() + meta_height + 2
        for line in preview_lines(index.data() or "", option.font, rect.width()):
            painter.drawText(rect.left(), top + painter.fontMetrics().ascent(), line)
            top += painter.fontMetrics().lineSpacing()
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        metrics = option.fontMetrics
        if index.data(HEADER_ROLE):
            return QSize(200, metrics.height() + 22)
        width = max(200, (option.rect.width() or 320) - 2 * self.PADDING)
        text = index.data() or ""
        key = (hash(text), width, option.font.key())
        lines = self._line_counts.get(key)
        if lines is None:
            if len(self._line_counts) >= 4 * MAX_LISTED:  # a few fills' worth; the rest is measured again
                self._line_counts.clear()
            lines = self._line_counts[key] = len(preview_lines(text, option.font, width))
        return QSize(width, metrics.height() + lines * metrics.lineSpacing() + 16)


def preview_lines(text: str, font: QFont, width: int) -> list[str]:
    """Word-wrap `text` to `width`, at most PREVIEW_LINES lines, the last one elided with … if there is more."""
    metrics = QFontMetrics(font)
    layout = QTextLayout(text, font)
    lines: list[str] = []
    layout.beginLayout()
    start = 0
    while len(lines) < PREVIEW_LINES:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        start = line.textStart()
        lines.append(text[start : start + line.textLength()].rstrip())
    layout.endLayout()
    if lines and start + len(lines[-1]) < len(text.rstrip()):
        lines[-1] = metrics.elidedText(text[start:], Qt.TextElideMode.ElideRight, width)
    return lines or [""]


class EntryEditor(QWidget):
    """Edits one entry (or a new one) in place; emits the content to save or a wish to delete."""

    save_requested = Signal(object)  # Content
    delete_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind: EntryKind | None = None
        self.entry: JournalEntry | None = None
        self.form: EntryForm | None = None
        self._dirty = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 8, 8)
        layout.setSpacing(10)
        self.heading = QLabel()
        self.heading.setFont(reading_font(self))
        layout.addWidget(self.heading)
        self._form_holder = QVBoxLayout()
        layout.addLayout(self._form_holder, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.clicked.connect(self.delete_requested)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setDefault(True)
        self.save_button.setToolTip(self.tr("Save (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.clear()

    def clear(self) -> None:
        """Drop the form and every word in it (used when locking and when nothing is selected)."""
        self._replace_form(None)
        self.kind = None
        self.entry = None
        self._dirty = False
        self.heading.setText(self.tr("Choose an entry, or start a new one."))
        self.message.clear()
        self.save_button.setEnabled(False)
        self.delete_button.setVisible(False)

    def start(self, kind: EntryKind, entry: JournalEntry | None = None) -> None:
        self.kind = kind
        self.entry = entry
        form = form_for(kind)
        self._replace_form(form)
        if entry is not None:
            form.set_content(entry.content)
            when = f"{date_text(entry.day, weekday=True)}, {entry.local_time:%H:%M}"
            self.heading.setText(f"<b>{kind_label(kind)}</b> · {when}")
        else:
            self.heading.setText(f"<b>{self.tr('New %1').replace('%1', kind_label(kind).lower())}</b>")
        self._dirty = False
        self.message.clear()
        self.delete_button.setVisible(entry is not None)
        self._update_save()
        form.changed.connect(self._on_changed)
        form.setFocus()

    @property
    def has_unsaved_text(self) -> bool:
        return self._dirty and self.form is not None and self.form.content() is not None

    def save(self) -> None:
        if self.form is None:
            return
        content = self.form.content()
        if content is None:
            self.message.setText(self._incomplete_hint())
            return
        self.save_requested.emit(content)

    def saved(self, entry: JournalEntry) -> None:
        self.entry = entry
        self._dirty = False
        self.delete_button.setVisible(True)
        self.message.setText(self.tr("Saved."))
        self._update_save()

    def show_error(self, text: str) -> None:
        self.message.setText(text)

    def _incomplete_hint(self) -> str:
        if self.kind in (EntryKind.CHECKIN, EntryKind.CLOSING):
            return self.tr("Choose a number from 1 to 5 first.")
        return self.tr("Write something first.")

    def _on_changed(self) -> None:
        self._dirty = True
        self.message.clear()
        self._update_save()

    def _update_save(self) -> None:
        self.save_button.setEnabled(self.form is not None and self._dirty and self.form.content() is not None)

    def _replace_form(self, form: EntryForm | None) -> None:
        if self.form is not None:
            self._form_holder.removeWidget(self.form)
            # Do not leave the words in memory until Qt gets round to deleting the widgets.
            for field in [*self.form.findChildren(QLineEdit), *self.form.findChildren(QPlainTextEdit)]:
                field.clear()
            self.form.hide()
            self.form.setParent(None)
            self.form.deleteLater()
        self.form = form
        if form is not None:
            self._form_holder.addWidget(form)
            form.show()  # a child added to a visible window stays hidden until shown


@dataclass(frozen=True)
class EntrySave:
    """The rep asked to save what the editor holds: a new entry (entry None) or a change to `entry`."""

    kind: EntryKind
    entry: JournalEntry | None
    content: Content


class JournalWindow(QWidget):
    """Reads the journal to show it; never writes it. Saving and deleting are intents the journal feature carries
    out (features/journal_writes.py), answering with entry_saved/entry_not_saved and entry_deleted/entry_not_deleted.
    """

    lock_requested = Signal()
    unlock_requested = Signal()
    export_requested = Signal(str)  # "markdown" or "json"
    checkin_requested = Signal()
    entry_save_requested = Signal(object)  # EntrySave
    entry_delete_requested = Signal(str)  # the entry's uid

    def __init__(
        self,
        journal: Journal,
        parent: QWidget | None = None,
        call_notes: Callable[[str], list[CallNote]] | None = None,
        call_notes_reader: Callable[[], Callable[[], list[CallNote]]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.journal = journal
        # What the rep wrote with a rough call (its note, the cooldown's reflection): shown in the timeline too.
        self._call_notes = call_notes or (lambda _query: [])
        # For a search on the worker: called on the GUI thread, it returns what reads every note there (a year of
        # rough calls is 26,000 rows to read again after any write: 55 ms). Without one, they are read here.
        self._call_notes_reader = call_notes_reader or self._notes_read_here
        self.setWindowTitle(self.tr("Journal · Companion"))
        self.resize(960, 640)
        self.setMinimumSize(560, 320)  # fits 640×400 logical: a 1280×800 screen at 200 %
        self.pages = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)
        self.locked_page = self._build_locked_page()
        self.open_page = self._build_open_page()
        self.pages.addWidget(self.locked_page)
        self.pages.addWidget(self.open_page)
        self._opening_page: QLabel | None = None
        self._revealing = False  # the entries are read: "Opening…" stays until the first rows are in the list
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search_in_background)
        # Searches run here, off the GUI thread; a newer search, a refresh or locking makes an older result stale
        # (the generation moves on), and a stale result is dropped. The journal feature stops it on quit.
        self.search_work = BackgroundWork(self)
        self._generation = 0
        self._rows_to_add: list[Shown] = []  # a search's rows not listed yet, added a batch per event-loop turn
        self._row_state: tuple[str | None, date | None] = (None, None)  # the entry to select, the last day heading
        self._fill_timer = QTimer(self)
        self._fill_timer.setSingleShot(True)
        self._fill_timer.setInterval(0)
        self._fill_timer.timeout.connect(self._add_next_rows)
        self._add_shortcuts()
        self.show_locked()

    # --- building ------------------------------------------------------------------------------------------

    def _build_locked_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(2)
        title = QLabel(self.tr("Your journal is locked"))
        title.setFont(self._title_font())
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint = QLabel(self.tr("What you write here is encrypted on this computer. Unlock it to read or write."))
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)
        self.unlock_button = QPushButton(self.tr("Unlock…"))
        self.unlock_button.clicked.connect(self.unlock_requested)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.unlock_button)
        row.addStretch(1)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addSpacing(12)
        layout.addLayout(row)
        layout.addStretch(3)
        return page

    def _title_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10) * 1.5)
        return font

    def _build_open_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(12)

        header = QHBoxLayout()
        self.today_label = QLabel()
        self.today_label.setFont(self._title_font())
        self.today_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        header.addWidget(self.today_label)
        header.addStretch(1)
        self.export_button = QPushButton(self.tr("Export…"))
        export_menu = QMenu(self.export_button)
        export_menu.addAction(self.tr("As Markdown…"), lambda: self.export_requested.emit("markdown"))
        export_menu.addAction(self.tr("As JSON…"), lambda: self.export_requested.emit("json"))
        self.export_button.setMenu(export_menu)
        self.lock_button = QPushButton(self.tr("Lock"))
        self.lock_button.setToolTip(self.tr("Lock the journal now (Ctrl+L)"))
        self.lock_button.clicked.connect(self.lock_requested)
        header.addWidget(self.export_button)
        header.addWidget(self.lock_button)
        layout.addLayout(header)

        self.today_card = QFrame()
        self.today_card.setFrameShape(QFrame.Shape.StyledPanel)
        card = QHBoxLayout(self.today_card)
        card.setContentsMargins(14, 10, 14, 10)
        self.today_summary = QLabel()
        self.today_summary.setWordWrap(True)
        self.today_summary.setFont(reading_font(self))
        self.today_summary.setMinimumHeight(2 * self.today_summary.fontMetrics().lineSpacing() + 4)
        self.checkin_button = QPushButton(self.tr("Check in"))
        self.checkin_button.clicked.connect(self.checkin_requested)
        card.addWidget(self.today_summary, 1)
        card.addWidget(self.checkin_button)
        layout.addWidget(self.today_card)

        tools = QHBoxLayout()
        self.new_buttons: dict[EntryKind, QPushButton] = {}
        for kind in WRITING_KINDS:
            button = QPushButton(self.tr("+ %1").replace("%1", kind_label(kind)))
            button.clicked.connect(lambda _=False, k=kind: self.start_new(k))
            tools.addWidget(button)
            self.new_buttons[kind] = button
        self.new_buttons[EntryKind.NOTE].setToolTip(self.tr("New note (Ctrl+N)"))
        tools.addStretch(1)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search your journal (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search"))
        self.search.setMinimumWidth(160)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.kind_filter = QComboBox()
        self.kind_filter.setAccessibleName(self.tr("Kind"))
        self.kind_filter.addItem(self.tr("All kinds"), ALL)
        self.kind_filter.addItem(self.tr("Rough-call notes"), CALL_NOTES)
        for kind in EntryKind:
            self.kind_filter.addItem(kind_label(kind), kind.value)
        self.kind_filter.currentIndexChanged.connect(lambda _: self.refresh())
        self.tag_filter = QComboBox()
        self.tag_filter.setAccessibleName(self.tr("Tag"))
        self.tag_filter.currentIndexChanged.connect(lambda _: self.refresh())
        # New-entry buttons on one row, search and filters on the next: one row was wider than a 200 % screen.
        layout.addLayout(tools)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.kind_filter)
        filters.addWidget(self.tag_filter)
        layout.addLayout(filters)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.entry_list = QListWidget()
        self.entry_list.setItemDelegate(EntryDelegate(self.entry_list))
        self.entry_list.setWordWrap(True)
        self.entry_list.setUniformItemSizes(False)
        # One pass over the rows listed so far (at most MAX_LISTED: 13 ms for 400) as they arrive a batch per turn.
        # Not Batched: every batch of new rows restarted its layout, and the list stayed blank until the last one
        # was in and measured (about 0.2 s on each open and each search, seen at QT_SCALE_FACTOR=2).
        self.entry_list.setLayoutMode(QListWidget.LayoutMode.SinglePass)
        self.entry_list.setAccessibleName(self.tr("Entries"))
        self.entry_list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.entry_list.currentItemChanged.connect(self._on_current_changed)
        self.editor = EntryEditor()
        self.editor.save_requested.connect(self._save)
        self.editor.delete_requested.connect(self.confirm_delete)
        splitter.addWidget(self.entry_list)
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([380, 540])
        layout.addWidget(splitter, 1)
        self.count_label = QLabel()
        self.count_label.setEnabled(False)
        layout.addWidget(self.count_label)
        return page

    def _add_shortcuts(self) -> None:
        shortcuts = {
            QKeySequence.StandardKey.Find: self._focus_search,
            QKeySequence.StandardKey.New: lambda: self.start_new(EntryKind.NOTE),
            QKeySequence("Ctrl+L"): self.lock_requested,
            QKeySequence("Ctrl+E"): lambda: self.export_button.showMenu(),
        }
        for sequence, slot in shortcuts.items():
            QShortcut(sequence, self.open_page).activated.connect(slot)
        QShortcut(QKeySequence.StandardKey.Delete, self.entry_list, self.confirm_delete)
        clear = QShortcut(QKeySequence("Escape"), self.search, self.search.clear)
        clear.setContext(Qt.ShortcutContext.WidgetShortcut)  # Esc elsewhere closes the window (keyboard model)
        escape_closes(self)

    # --- states --------------------------------------------------------------------------------------------

    @property
    def is_showing_locked(self) -> bool:
        return self.pages.currentWidget() is self.locked_page

    def show_locked(self) -> None:
        """Forget every decrypted word shown: list, editor, search box and tag names."""
        self._search_timer.stop()
        self._generation += 1  # a search still running finds nothing to show
        self.search_work.cancel_all()
        self._stop_adding_rows()
        self.entry_list.clear()
        self.editor.clear()
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.blockSignals(False)
        self.today_summary.clear()
        self.count_label.clear()
        self._revealing = False
        self.pages.setCurrentWidget(self.locked_page)
        self.unlock_button.setFocus()

    def show_opening(self) -> None:
        """While the entries are decrypted on a worker (a moment for years of entries): a calm word, no list yet."""
        if self._opening_page is None:
            self._opening_page = QLabel(self.tr("Opening your journal…"))
            self._opening_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.pages.addWidget(self._opening_page)
        self.pages.setCurrentWidget(self._opening_page)

    @property
    def is_showing_opening(self) -> bool:
        return self._opening_page is not None and self.pages.currentWidget() is self._opening_page

    def show_unlocked(self) -> None:
        """The list fills as a search does (matched on the worker, listed a batch per turn): the window paints at
        once instead of after a year of entries and rough-call notes were matched and laid out (issue 15). After
        "Opening your journal…" that page stays until the first rows are in: the rep never sees an empty list."""
        self._revealing = self.is_showing_opening
        if not self._revealing:
            self._reveal()
        self._refresh_today()
        self._refresh_tags()
        self.search_in_background()

    def _reveal(self) -> None:
        self._revealing = False
        self.pages.setCurrentWidget(self.open_page)
        self.search.setFocus()

    @property
    def _entries_unread(self) -> bool:
        """Locked, or still opening: nothing to list yet."""
        return self.is_showing_locked or (self.is_showing_opening and not self._revealing)

    def save_unsaved(self) -> bool:
        """Before locking: keep what the rep was writing. True if something was saved."""
        if self.is_showing_locked or not self.editor.has_unsaved_text:
            return False
        self.editor.save()
        return not self.editor.has_unsaved_text

    # --- content -------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Everything again, at once, on the GUI thread (after a save, a delete, a filter, unlocking)."""
        if self._entries_unread:
            return
        if self._revealing:  # a save while the first rows were on their way: the list shows as it is now
            self._reveal()
        self._generation += 1  # a search still running would show an older list: drop it
        self._refresh_today()
        self._refresh_tags()
        notes = self._call_notes("")
        found = find(self.journal, notes, self._criteria())
        self._show_found(found, self.journal.count() + len(notes), batched=False)

    def search_in_background(self) -> None:
        """The rep typed (or cleared the search): match on the worker, then list the rows a batch per event-loop
        turn, so neither the match over a year of entries nor 400 new rows hold up the next key press."""
        if self._entries_unread:
            return
        self._generation += 1
        generation = self._generation
        criteria = self._criteria()
        entries = self.journal.searchable()
        read_notes = self._call_notes_reader()
        count = self.journal.count()

        def search() -> tuple[list[Shown], int]:
            notes = read_notes()
            return find(entries, notes, criteria), count + len(notes)

        def found(result: tuple[list[Shown], int]) -> None:
            if generation == self._generation and not self._entries_unread:
                self._show_found(*result, batched=True)

        def failed(error: BaseException) -> None:
            log.error("journal search failed", exc_info=error)
            if generation == self._generation:
                self.refresh()  # the same search on the GUI thread, with its usual sentences

        self.search_work.cancel_all()  # whatever an older search finds is dropped unseen
        self.search_work.run(search, found, failed)

    def _notes_read_here(self) -> Callable[[], list[CallNote]]:
        notes = self._call_notes("")
        return lambda: notes

    @property
    def searching(self) -> bool:
        """A search is waiting, running, or still listing its rows."""
        return self._search_timer.isActive() or self.search_work.busy or bool(self._rows_to_add)

    def _criteria(self) -> SearchCriteria:
        return SearchCriteria(self.search.text(), self.kind_filter.currentData(), self.tag_filter.currentData() or None)

    def _show_found(self, found: list[Shown], total: int, batched: bool) -> None:
        self._stop_adding_rows()
        current = self.editor.entry.uid if self.editor.entry is not None else None
        self.entry_list.blockSignals(True)
        self.entry_list.clear()
        self.entry_list.blockSignals(False)
        self._rows_to_add = found[:MAX_LISTED]
        self._row_state = (current, None)
        self._add_next_rows(ROWS_PER_TURN if batched else MAX_LISTED)
        self._show_count(len(found), total)
        if self._revealing:
            self._reveal()

    def _stop_adding_rows(self) -> None:
        self._fill_timer.stop()
        self._rows_to_add = []  # decrypted words: not kept once they are no longer going to be shown

    def _add_next_rows(self, how_many: int = ROWS_PER_TURN) -> None:
        batch, self._rows_to_add = self._rows_to_add[:how_many], self._rows_to_add[how_many:]
        current, shown_day = self._row_state
        self.entry_list.blockSignals(True)
        for shown in batch:
            day = shown.day if isinstance(shown, JournalEntry) else shown.at.date()
            if day != shown_day:
                shown_day = day
                self._add_day_heading(day)
            if isinstance(shown, CallNote):
                item = QListWidgetItem(shown.text)
                item.setData(META_ROLE, self._call_note_meta(shown))
                self.entry_list.addItem(item)
                continue
            item = QListWidgetItem(describe(shown.content))
            item.setData(UID_ROLE, shown.uid)
            item.setData(META_ROLE, self._meta_line(shown))
            self.entry_list.addItem(item)
            if shown.uid == current:
                self.entry_list.setCurrentItem(item)
        self.entry_list.blockSignals(False)
        self._row_state = (current, shown_day)
        if self._rows_to_add:
            self._fill_timer.start()

    def _call_note_meta(self, note: CallNote) -> str:
        what = self.tr("Note on a rough call") if note.source == "rough_call" else self.tr("After the cooldown")
        return f"{note.call_line()} · {what}"

    def _meta_line(self, entry: JournalEntry) -> str:
        meta = f"{entry.local_time:%H:%M} · {kind_label(entry.kind)}"
        if entry.rough_call_id is not None or entry.cooldown_id is not None:
            meta += " · " + self.tr("about a rough call")
        return meta

    def _show_count(self, found: int, total: int) -> None:
        filtered = self.search.text().strip() or self.kind_filter.currentData() or self.tag_filter.currentData()
        if found == 0 and filtered:
            self.count_label.setText(self.tr("Nothing matches. Try other words, or All kinds."))
        elif total == 0 and found == 0:
            self.count_label.setText(self.tr("Nothing here yet. Start with a win, a thank-you or a note."))
        elif found > MAX_LISTED:
            text = self.tr("Showing the newest %1 of %2 matching entries; search to narrow them down.")
            self.count_label.setText(text.replace("%1", str(MAX_LISTED)).replace("%2", str(found)))
        elif found != total:
            self.count_label.setText(self.tr("%1 of %2 entries").replace("%1", str(found)).replace("%2", str(total)))
        else:
            self.count_label.setText(self.tr("%n entries", "", total))

    def _add_day_heading(self, day: date) -> None:
        today = self.journal.today()
        if day == today:
            text = self.tr("Today")
        elif (today - day).days == 1:
            text = self.tr("Yesterday")
        else:
            text = date_text(day, weekday=True)
        heading = QListWidgetItem(text)
        heading.setData(HEADER_ROLE, True)
        heading.setFlags(Qt.ItemFlag.NoItemFlags)
        self.entry_list.addItem(heading)

    def _refresh_today(self) -> None:
        today = self.journal.today()
        self.today_label.setText(date_text(today, weekday=True))
        checkins = [e for e in self.journal.entries_on(today) if e.kind is EntryKind.CHECKIN]
        if checkins:
            latest = checkins[0].content
            assert isinstance(latest, CheckIn)
            text = self.tr("Checked in: mood %1/5, energy %2/5").replace("%1", str(latest.mood))
            text = text.replace("%2", str(latest.energy))
            if latest.intention:
                text += "\n" + self.tr("Intention: %1").replace("%1", latest.intention)
            self.today_summary.setText(text)
            self.checkin_button.setText(self.tr("Check in again"))
        else:
            self.today_summary.setText(self.tr("How are you arriving today? A short check-in sets the tone."))
            self.checkin_button.setText(self.tr("Check in"))

    def _refresh_tags(self) -> None:
        chosen = self.tag_filter.currentData()
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.addItem(self.tr("All tags"), ALL)
        for tag in self.journal.all_tags():
            self.tag_filter.addItem(f"#{tag}", tag)
        index = self.tag_filter.findData(chosen) if chosen else 0
        self.tag_filter.setCurrentIndex(max(index, 0))
        self.tag_filter.blockSignals(False)

    def start_new(self, kind: EntryKind) -> None:
        if self.is_showing_locked:
            return
        self.entry_list.setCurrentItem(None)
        self.editor.start(kind)

    def open_entry(self, uid: str) -> None:
        entry = self.journal.get(uid)
        if entry is not None:
            self.editor.start(entry.kind, entry)

    def item_for(self, uid: str) -> QListWidgetItem | None:
        for row in range(self.entry_list.count()):
            item = self.entry_list.item(row)
            if item.data(UID_ROLE) == uid:
                return item
        return None

    def _on_current_changed(self, current: QListWidgetItem | None, previous: QListWidgetItem | None) -> None:
        if current is not None and current.data(UID_ROLE):
            self.open_entry(current.data(UID_ROLE))

    def _save(self, content: Content) -> None:
        kind = self.editor.kind
        assert kind is not None
        self.entry_save_requested.emit(EntrySave(kind, self.editor.entry, content))

    def entry_saved(self, entry: JournalEntry) -> None:
        self.editor.saved(entry)
        self.refresh()

    def entry_not_saved(self, message: str) -> None:
        self.editor.show_error(message)  # the text stays in the editor

    def confirm_delete(self) -> None:
        entry = self.editor.entry
        if entry is None or self.is_showing_locked:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Delete this entry?"),
            delete_question(entry.kind),
            QMessageBox.StandardButton.Cancel,
            self,
        )
        delete = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setObjectName("confirm-delete")

        def answered(button: object) -> None:  # slots return None: PySide6 mishandles a returned bool
            if button is delete:
                self.delete_entry(entry.uid)

        box.buttonClicked.connect(answered)
        box.open()

    def delete_entry(self, uid: str) -> None:
        self.entry_delete_requested.emit(uid)

    def entry_deleted(self) -> None:
        self.editor.clear()
        self.refresh()

    def entry_not_deleted(self, message: str) -> None:
        self.editor.show_error(message)

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_unsaved()  # closing the window is not a reason to lose a paragraph
        self._search_timer.stop()
        self._generation += 1
        self.search_work.cancel_all()  # a search still running is dropped; reopening the window refreshes
        self._stop_adding_rows()
        super().closeEvent(event)
