"""The process document (DOMAIN §2) as a neutral list of blocks, built once from a snapshot.

The DOCX writer and the HTML/PDF template walk the same `ProcessDocument`, so both outputs always
carry the same sections, numbering and tables; they differ only in how a block is drawn.
"""

from dataclasses import dataclass, field

from eiso.reports import labels
from eiso.reports.layout import (
    duration_label,
    format_number,
    hours_label,
    paragraphs,
    short_date,
    to_decimal,
    upper,
)

HEADER_WIDTHS_MM = [50, 73, 42]  # agency | QUY TRÌNH + title | code, issue
APPROVAL_WIDTHS_MM = [30, 45, 45, 45]  # row labels | drafted | reviewed | approved
SIGNATURE_HEIGHT_MM = 22


def column_styles(widths_mm: list[float]) -> list[str]:
    """CSS widths in per cent of the table (HTML tables follow the page width)."""
    total = sum(widths_mm) or 1
    return [f"width: {width * 100 / total:.2f}%" for width in widths_mm]


@dataclass
class Cell:
    lines: list[str] = field(default_factory=list)
    bold: bool = False
    align: str = "left"  # left | center
    colspan: int = 1

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class Table:
    role: str  # css class and DOCX hint: dossier, steps, forms, records, amendments
    headers: list[str]
    widths_mm: list[float]
    rows: list[list[Cell]] = field(default_factory=list)
    centered_columns: tuple[int, ...] = (0,)

    @property
    def column_styles(self) -> list[str]:
        return column_styles(self.widths_mm)


@dataclass
class Block:
    kind: str  # heading1 | heading2 | step (a bold step title kept with what follows) | para | item | table
    text: str = ""
    lead: str = ""  # bold words before the text ("Đối tượng thực hiện:")
    bold: bool = False
    table: Table | None = None


@dataclass
class Signatory:
    role: str
    name: str
    position: str


@dataclass
class ProcessDocument:
    agency_parent: str
    agency_name: str
    title: str
    code: str
    issue_line: str
    date_line: str
    status_note: str
    kind: str
    signatories: list[Signatory]
    amendments: Table
    body: list[Block]


def _text(value) -> str:
    return str(value).strip() if value not in (None, "") else ""


def _person(value) -> tuple[str, str]:
    if not isinstance(value, dict):
        return "", ""
    return _text(value.get("name")), _text(value.get("position"))


def _paras(blocks: list[Block], text: str | None) -> None:
    blocks.extend(Block("para", line) for line in paragraphs(text))


def _items(blocks: list[Block], values) -> None:
    blocks.extend(Block("item", f"- {_text(v)}") for v in values or [] if _text(v))


def _labelled(blocks: list[Block], lead: str, text: str | None) -> None:
    lines = paragraphs(text)
    if lines:
        blocks.append(Block("para", lines[0], lead=lead))
        _paras(blocks, "\n".join(lines[1:]))


def _amendments(rows) -> Table:
    table = Table("amendments", list(labels.AMENDMENT_HEADERS), [12, 33, 62, 28, 30], centered_columns=(0, 1, 3, 4))
    for index, row in enumerate(rows or [], start=1):
        row = row or {}
        table.rows.append([
            Cell([_text(row.get("no")) or str(index)], align="center"),
            Cell([_text(row.get("location"))], align="center"),
            Cell(paragraphs(row.get("summary"))),
            Cell([_text(row.get("issue"))], align="center"),
            Cell([short_date(row.get("date"))], align="center"),
        ])
    if not table.rows:  # a blank line to fill in by hand
        table.rows.append([Cell([""]) for _ in table.headers])
    return table


def _dossier_table(components) -> Table:
    table = Table("dossier", list(labels.DOSSIER_HEADERS), [12, 103, 25, 25], centered_columns=(0, 2, 3))
    for index, item in enumerate(components or [], start=1):
        item = item or {}
        quantity = format_number(item.get("quantity")) if _text(item.get("quantity")) else labels.MARK
        kind = item.get("kind")
        number = Cell([str(index)], align="center")
        name = Cell(paragraphs(item.get("name")))
        if kind == "original_or_copy":
            table.rows.append([number, name, Cell([labels.ORIGINAL_OR_COPY.format(quantity=quantity)],
                                                  align="center", colspan=2)])
        else:
            original = quantity if kind == "original" else ""
            copy = quantity if kind == "copy" else ""
            table.rows.append([number, name, Cell([original], align="center"), Cell([copy], align="center")])
    return table


def _step_table(steps, total_hours, *, with_descriptions: bool) -> Table:
    table = Table("steps", list(labels.STEP_HEADERS), [15, 55, 35, 27, 33], centered_columns=(0, 3))
    for index, step in enumerate(steps, start=1):
        content = paragraphs(step.get("action"))
        if with_descriptions:
            content += paragraphs(step.get("description"))
        forms = [_text(f) for f in step.get("forms") or [] if _text(f)]
        outputs = ([", ".join(forms)] if forms else []) + paragraphs(step.get("output"))
        time = _text(step.get("time_label")) or hours_label(step.get("hours"), days=False)
        table.rows.append([
            Cell([labels.STEP_LABEL.format(n=_text(step.get("order")) or index)], bold=True, align="center"),
            Cell(content),
            Cell(paragraphs(step.get("responsible"))),
            Cell([time], align="center"),
            Cell(outputs),
        ])
    total = hours_label(total_hours) if steps else ""
    if steps and total_hours in (None, ""):
        counted = [to_decimal(s.get("hours")) for s in steps]
        total = hours_label(sum(h for h in counted if h is not None)) if any(counted) else ""
    table.rows.append([Cell([labels.TOTAL_TIME], bold=True, colspan=3),
                       Cell([total], bold=True, align="center", colspan=2)])
    return table


def _procedure_content(blocks: list[Block], p: dict, steps: list[dict]) -> None:
    blocks.append(Block("heading2", labels.SUB_LEGAL_BASES))
    _items(blocks, p.get("legal_bases"))

    blocks.append(Block("heading2", labels.SUB_CONDITIONS))
    _paras(blocks, p.get("conditions"))
    _labelled(blocks, labels.APPLICANTS, p.get("applicants"))

    blocks.append(Block("heading2", labels.SUB_DOSSIER))
    if p.get("dossier_components"):
        blocks.append(Block("table", table=_dossier_table(p.get("dossier_components"))))

    blocks.append(Block("heading2", labels.SUB_SETS))
    if _text(p.get("number_of_sets")):
        blocks.append(Block("para", labels.SETS.format(n=format_number(p.get("number_of_sets")))))

    blocks.append(Block("heading2", labels.SUB_DEADLINE))
    for case in p.get("cases") or []:
        case = case or {}
        label = _text(case.get("label")) or duration_label(case.get("duration"), case.get("duration_unit"))
        name = _text(case.get("name"))
        blocks.append(Block("item", f"- {name}: {label}" if name and label else f"- {name or label}"))

    blocks.append(Block("heading2", labels.SUB_PLACE))
    _paras(blocks, p.get("place_of_receipt"))
    channels = [_text(c) for c in p.get("channels") or [] if _text(c)]
    if channels:
        blocks.append(Block("para", "; ".join(channels) + ".", lead=labels.CHANNELS))
    _labelled(blocks, labels.COMPETENT_UNITS, p.get("competent_units"))
    _labelled(blocks, labels.COOPERATING_UNITS, p.get("cooperating_units"))
    _labelled(blocks, labels.RESULT, p.get("result"))

    blocks.append(Block("heading2", labels.SUB_FEES))
    _paras(blocks, p.get("fees"))

    blocks.append(Block("heading2", labels.SUB_STEPS))
    blocks.append(Block("table", table=_step_table(steps, p.get("total_hours"), with_descriptions=True)))


def _system_content(blocks: list[Block], p: dict, steps: list[dict]) -> None:
    blocks.append(Block("heading2", labels.SUB_SYSTEM_STEPS))
    blocks.append(Block("table", table=_step_table(steps, p.get("total_hours"), with_descriptions=False)))
    blocks.append(Block("heading2", labels.SUB_SYSTEM_DESCRIPTIONS))
    for index, step in enumerate(steps, start=1):
        number = labels.STEP_LABEL.format(n=_text(step.get("order")) or index)
        blocks.append(Block("step", _text(step.get("action")), lead=f"{number}.", bold=True))
        _paras(blocks, step.get("description"))
        _labelled(blocks, labels.STEP_RESPONSIBLE, step.get("responsible"))
        time = _text(step.get("time_label")) or hours_label(step.get("hours"), days=False)
        _labelled(blocks, labels.STEP_TIME, time)
        forms = [_text(f) for f in step.get("forms") or [] if _text(f)]
        outputs = "; ".join(forms + paragraphs(step.get("output")))
        _labelled(blocks, labels.STEP_FORMS, outputs)


def _body(p: dict) -> list[Block]:
    blocks: list[Block] = []
    blocks.append(Block("heading1", labels.SECTION_PURPOSE))
    _paras(blocks, p.get("purpose"))

    blocks.append(Block("heading1", labels.SECTION_SCOPE))
    _paras(blocks, p.get("scope"))
    procedures = [x or {} for x in p.get("procedures") or []]
    if procedures:
        blocks.append(Block("para", "", lead=labels.PROCEDURES_COVERED))
        for proc in procedures:
            code = _text(proc.get("code"))
            name = _text(proc.get("name"))
            blocks.append(Block("item", f"- {name} {labels.PROCEDURE_CODE.format(code=code)}" if code else f"- {name}"))

    blocks.append(Block("heading1", labels.SECTION_REFERENCES))
    _items(blocks, p.get("references"))

    blocks.append(Block("heading1", labels.SECTION_DEFINITIONS))
    for item in p.get("definitions") or []:
        item = item or {}
        term, meaning = _text(item.get("term")), _text(item.get("meaning"))
        if term or meaning:
            blocks.append(Block("item", f"- {term}: {meaning}" if term and meaning else f"- {term or meaning}"))

    blocks.append(Block("heading1", labels.SECTION_CONTENT))
    _paras(blocks, p.get("content_intro"))
    steps = sorted((s or {} for s in p.get("steps") or []), key=lambda s: to_decimal(s.get("order")) or 0)
    if p.get("kind") == "system":
        _system_content(blocks, p, steps)
    else:
        _procedure_content(blocks, p, steps)

    blocks.append(Block("heading1", labels.SECTION_FORMS))
    forms = [f or {} for f in p.get("forms") or []]
    if forms:
        table = Table("forms", list(labels.FORM_HEADERS), [12, 35, 118], centered_columns=(0, 1))
        table.rows = [[Cell([str(i)], align="center"), Cell([_text(f.get("code"))], align="center"),
                       Cell(paragraphs(f.get("title")))] for i, f in enumerate(forms, start=1)]
        blocks.append(Block("table", table=table))

    blocks.append(Block("heading1", labels.SECTION_RECORDS))
    records = [r or {} for r in p.get("records") or []]
    if records:
        table = Table("records", list(labels.RECORD_HEADERS), [12, 75, 45, 33], centered_columns=(0, 3))
        table.rows = [[Cell([str(i)], align="center"), Cell(paragraphs(r.get("name"))),
                       Cell(paragraphs(r.get("place"))), Cell([_text(r.get("retention"))], align="center")]
                      for i, r in enumerate(records, start=1)]
        blocks.append(Block("table", table=table))
    return blocks


def build_process_document(snapshot: dict) -> ProcessDocument:
    """Normalise a process snapshot (see `render_process_docx`) into blocks; tolerant of missing keys."""
    snapshot = snapshot or {}
    agency = snapshot.get("agency") or {}
    document = snapshot.get("document") or {}
    approval = snapshot.get("approval") or {}
    process = snapshot.get("process") or {}
    signatories = []
    for role, key in ((labels.DRAFTED_BY, "drafted_by"), (labels.REVIEWED_BY, "reviewed_by"),
                      (labels.APPROVED_BY, "approved_by")):
        name, position = _person(approval.get(key))
        signatories.append(Signatory(role, name, position))
    issue = _text(document.get("issue_number"))
    date = short_date(document.get("issue_date"))
    return ProcessDocument(
        agency_parent=upper(agency.get("parent_name")),
        agency_name=upper(agency.get("name")),
        title=_text(document.get("title")) or _text(process.get("title")),
        code=_text(document.get("code")) or _text(process.get("code")),
        issue_line=labels.ISSUE_NUMBER.format(n=issue).rstrip(),
        date_line=labels.ISSUE_DATE.format(date=date).rstrip(),
        status_note=labels.STATUS_NOTES.get(_text(document.get("status")), ""),
        kind=_text(process.get("kind")) or "procedure",
        signatories=signatories,
        amendments=_amendments(snapshot.get("amendments")),
        body=_body(process),
    )
