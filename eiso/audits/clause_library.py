"""The ISO 9001 clause library: versioned YAML content (clauses/) shipped with eISO, used to build internal audit
checklists.

One file per version (``clauses/<standard>.v<n>.yaml``) with a ``version`` field (e.g. "2015.1": edition of the
standard, revision of eISO's library). A file is never edited once an audit may have used it: a corrected or new
library is a new file with a new version, and an audit records ``library.version``.

    library = clause_library()                 # the newest version; clause_library("2015.1") for a given one
    library.get("9.1.2").label                 # "Sự thỏa mãn của khách hàng"
    library.children("9.2")                    # (Clause 9.2.1, Clause 9.2.2)
    for clause, question in library.checklist(["9.2", "8.5.1"]): ...

Every file is validated when loaded (numbers well formed, quoted, unique and in order; parents present; titles;
every leaf has at least one question); a broken file raises ClauseLibraryError naming the file and the clause.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import yaml
from django.utils.translation import gettext as _

LIBRARY_DIR = Path(__file__).resolve().parent / "clauses"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when PyYAML has it
_NUMBER = re.compile(r"[1-9][0-9]*(\.[1-9][0-9]*)*")
_VERSION = re.compile(r"[0-9]+(\.[0-9]+)*")
MAX_QUESTIONS = 4
HEADER_KEYS = {"urn", "version", "standard", "equivalent", "name", "language", "clauses"}
CLAUSE_KEYS = {"number", "title", "title_en", "topic", "questions"}
QUESTION_KEYS = {"text", "evidence"}


class ClauseLibraryError(ValueError):
    """A clause library file is malformed (the message names the file and, when it applies, the clause)."""


class UnknownClauseError(LookupError):
    """A clause number (or a library version) that is not there; the message is for the user."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Question:
    text: str
    evidence: str


@dataclass(frozen=True)
class Clause:
    number: str
    title: str | None  # the standard's title; None where the standard leaves the sub-clause untitled
    title_en: str | None
    topic: str | None  # eISO's short label for an untitled sub-clause
    questions: tuple[Question, ...]
    parent: str | None
    children: tuple[str, ...]

    @property
    def label(self) -> str:
        """What to show next to the number: the title, else eISO's topic."""
        return self.title or self.topic or ""

    @property
    def depth(self) -> int:
        return self.number.count(".")

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def __str__(self) -> str:
        return f"{self.number} {self.label}"


class ChecklistItem(NamedTuple):
    clause: Clause
    question: Question


def number_key(number: str) -> tuple[int, ...]:
    """Sort key of a clause number: "4.10" after "4.9", "10" after "9"."""
    return tuple(int(part) for part in number.split("."))


class ClauseLibrary:
    def __init__(
        self,
        *,
        version: str,
        standard: str,
        name: str,
        clauses: tuple[Clause, ...],
        urn: str = "",
        equivalent: str = "",
        language: str = "vi",
        source: str = "",
    ):
        self.version = version
        self.standard = standard
        self.name = name
        self.urn = urn
        self.equivalent = equivalent
        self.language = language
        self.source = source
        self.clauses = clauses
        self._by_number = {clause.number: clause for clause in clauses}
        self._position = {clause.number: index for index, clause in enumerate(clauses)}

    def __repr__(self) -> str:
        return f"<ClauseLibrary {self.standard} v{self.version}: {len(self.clauses)} clauses>"

    def __iter__(self):
        return iter(self.clauses)

    def __len__(self) -> int:
        return len(self.clauses)

    def __contains__(self, number) -> bool:
        return isinstance(number, str) and _normalise(number) in self._by_number

    def get(self, number: str) -> Clause:
        key = _normalise(number)
        try:
            return self._by_number[key]
        except KeyError:
            raise UnknownClauseError(
                _("Clause %(number)s is not in the %(standard)s clause library (version %(version)s).")
                % {"number": number, "standard": self.standard, "version": self.version}
            ) from None

    def top_level(self) -> tuple[Clause, ...]:
        return tuple(clause for clause in self.clauses if clause.parent is None)

    def children(self, number: str) -> tuple[Clause, ...]:
        """The direct sub-clauses of a clause, in order."""
        return tuple(self._by_number[child] for child in self.get(number).children)

    def subtree(self, number: str) -> tuple[Clause, ...]:
        """The clause and all its descendants, in library order."""
        clause = self.get(number)
        prefix = clause.number + "."
        start = self._position[clause.number]
        return (clause,) + tuple(c for c in self.clauses[start + 1 :] if c.number.startswith(prefix))

    def leaves(self, number: str | None = None) -> tuple[Clause, ...]:
        clauses = self.clauses if number is None else self.subtree(number)
        return tuple(clause for clause in clauses if clause.is_leaf)

    def checklist(self, numbers) -> list[ChecklistItem]:
        """(clause, question) items for the given clause numbers: a parent expands to every question of its
        sub-clauses. Items come in library order, each clause once even if asked for twice (e.g. "8.5" and
        "8.5.1"). An unknown number raises UnknownClauseError and nothing is returned."""
        if isinstance(numbers, str):
            numbers = [numbers]
        wanted: set[str] = set()
        for number in numbers:
            wanted.update(clause.number for clause in self.subtree(number))
        return [
            ChecklistItem(clause, question)
            for clause in self.clauses
            if clause.number in wanted
            for question in clause.questions
        ]


def _normalise(number) -> str:
    return str(number).strip().rstrip(".")


def _text(value, where: str, field: str, *, required: bool = True) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ClauseLibraryError(f"{where}: '{field}' must be non-empty text (got {value!r}).")
    return value.strip()


def parse_library(data, source: str = "<data>") -> ClauseLibrary:
    """Validate parsed YAML and build the library. Raises ClauseLibraryError naming the file and the clause."""
    if not isinstance(data, dict):
        raise ClauseLibraryError(f"{source}: the file must be a mapping with 'version' and 'clauses'.")
    unknown = set(data) - HEADER_KEYS
    if unknown:
        raise ClauseLibraryError(f"{source}: unknown keys {sorted(unknown)}.")
    version = data.get("version")
    if not isinstance(version, str) or not _VERSION.fullmatch(version):
        raise ClauseLibraryError(f"{source}: 'version' must be quoted text such as \"2015.1\" (got {version!r}).")
    standard = _text(data.get("standard"), source, "standard")
    name = _text(data.get("name"), source, "name")
    raw_clauses = data.get("clauses")
    if not isinstance(raw_clauses, list) or not raw_clauses:
        raise ClauseLibraryError(f"{source}: 'clauses' must be a non-empty list.")

    entries: list[dict] = []
    seen: set[str] = set()
    previous: str | None = None
    for index, raw in enumerate(raw_clauses, start=1):
        if not isinstance(raw, dict):
            raise ClauseLibraryError(f"{source}: entry {index} of 'clauses' must be a mapping.")
        number = raw.get("number")
        label = f"clause {number}" if number is not None else f"entry {index} of 'clauses'"
        where = f"{source}: {label}"
        if not isinstance(number, str):
            raise ClauseLibraryError(f'{where}: the number must be quoted text ("4.10" would read as 4.1 unquoted).')
        if not _NUMBER.fullmatch(number):
            raise ClauseLibraryError(f"{where}: malformed number (expected digits separated by dots, like 7.5.3.1).")
        unknown = set(raw) - CLAUSE_KEYS
        if unknown:
            raise ClauseLibraryError(f"{where}: unknown keys {sorted(unknown)}.")
        if number in seen:
            raise ClauseLibraryError(f"{where}: duplicate number.")
        if previous is not None and number_key(number) < number_key(previous):
            raise ClauseLibraryError(f"{where}: out of order (comes after {previous}).")
        parent = number.rpartition(".")[0] or None
        if parent is not None and parent not in seen:
            raise ClauseLibraryError(f"{where}: its parent clause {parent} is missing.")
        title = _text(raw.get("title"), where, "title", required=False)
        title_en = _text(raw.get("title_en"), where, "title_en", required=False)
        topic = _text(raw.get("topic"), where, "topic", required=False)
        if title is None and topic is None:
            raise ClauseLibraryError(f"{where}: needs a 'title' (or a 'topic' when the standard gives none).")
        raw_questions = raw.get("questions") or []
        if not isinstance(raw_questions, list):
            raise ClauseLibraryError(f"{where}: 'questions' must be a list.")
        if len(raw_questions) > MAX_QUESTIONS:
            raise ClauseLibraryError(f"{where}: at most {MAX_QUESTIONS} questions (got {len(raw_questions)}).")
        questions = []
        for q_index, raw_question in enumerate(raw_questions, start=1):
            q_where = f"{where}, question {q_index}"
            if not isinstance(raw_question, dict):
                raise ClauseLibraryError(f"{q_where}: must be a mapping with 'text' and 'evidence'.")
            unknown = set(raw_question) - QUESTION_KEYS
            if unknown:
                raise ClauseLibraryError(f"{q_where}: unknown keys {sorted(unknown)}.")
            questions.append(
                Question(
                    text=_text(raw_question.get("text"), q_where, "text"),
                    evidence=_text(raw_question.get("evidence"), q_where, "evidence"),
                )
            )
        seen.add(number)
        previous = number
        entries.append(
            {
                "number": number,
                "title": title,
                "title_en": title_en,
                "topic": topic,
                "questions": tuple(questions),
                "parent": parent,
            }
        )

    children: dict[str, list[str]] = {entry["number"]: [] for entry in entries}
    for entry in entries:
        if entry["parent"] is not None:
            children[entry["parent"]].append(entry["number"])
    for entry in entries:
        if not children[entry["number"]] and not entry["questions"]:
            raise ClauseLibraryError(f"{source}: clause {entry['number']}: a leaf clause needs at least one question.")

    clauses = tuple(Clause(children=tuple(children[entry["number"]]), **entry) for entry in entries)
    return ClauseLibrary(
        version=version,
        standard=standard,
        name=name,
        clauses=clauses,
        urn=data.get("urn") or "",
        equivalent=data.get("equivalent") or "",
        language=data.get("language") or "vi",
        source=source,
    )


def load_clause_library(path: Path | str) -> ClauseLibrary:
    """Read and validate one library file (not cached: for tests, imports and checks of a replacement file)."""
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 — a safe loader  # nosec B506
    except yaml.YAMLError as error:
        raise ClauseLibraryError(f"{path.name}: not valid YAML: {error}") from error
    return parse_library(data, source=path.name)


@lru_cache(maxsize=1)
def _shipped() -> dict[str, ClauseLibrary]:
    """Every shipped version by its version string (immutable package data: caching it per process is safe)."""
    libraries: dict[str, ClauseLibrary] = {}
    for path in sorted(LIBRARY_DIR.glob("*.yaml")):
        library = load_clause_library(path)
        if library.version in libraries:
            raise ClauseLibraryError(
                f"{path.name}: version {library.version} is also in {libraries[library.version].source}."
            )
        libraries[library.version] = library
    if not libraries:
        raise ClauseLibraryError(f"No clause library in {LIBRARY_DIR}.")
    return libraries


def available_versions() -> list[str]:
    """Shipped versions, oldest first."""
    return sorted(_shipped(), key=number_key)


def clause_library(version: str | None = None) -> ClauseLibrary:
    """The shipped library of that version (the newest when None). Unknown version: UnknownClauseError."""
    libraries = _shipped()
    if version is None:
        return libraries[available_versions()[-1]]
    try:
        return libraries[str(version)]
    except KeyError:
        raise UnknownClauseError(
            _("There is no clause library version %(version)s (available: %(available)s).")
            % {"version": version, "available": ", ".join(available_versions())}
        ) from None
