"""The training totals as an XLSX workbook: people trained and agencies reached by year and level (the numbers of
the totals page, from the same selector), the courses, and every participant."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from eiso.trainings.models import Participant, Training


def _bold_row(sheet, row: int) -> None:
    from openpyxl.styles import Font

    for cell in sheet[row]:
        cell.font = Font(bold=True)


def totals_xlsx(table: list, *, province) -> bytes:
    """Sheet 1: one row per year and level (courses, people trained, agencies reached of the level's agencies);
    sheet 2: the courses; sheet 3: the participants."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Totals")
    sheet.append([_("Training totals — %(province)s") % {"province": province.name}])
    _bold_row(sheet, 1)
    sheet.append([_("Year"), _("Agency level"), _("People trained"), _("Agencies reached"), _("Agencies of the level")])
    _bold_row(sheet, 2)
    for row in table:
        year = row.year if row.year is not None else _("All years")
        for level in row.levels:
            sheet.append([year, level.label, level.people, level.agencies, level.agencies_in_level])
        sheet.append([year, _("Total"), row.people, row.agencies, row.agencies_in_levels])
        _bold_row(sheet, sheet.max_row)
    for letter, width in zip("ABCDE", (12, 48, 16, 16, 20), strict=True):
        sheet.column_dimensions[letter].width = width

    years = [row.year for row in table if row.year is not None]
    courses = book.create_sheet(_("Courses"))
    courses.append([_("Number"), _("Topic"), _("Kind"), _("First day"), _("Last day"), _("Location"), _("Trainer"),
                    _("Participants"), _("Attended"), _("Passed"), _("Certificates")])
    _bold_row(courses, 1)
    trainings = (Training.objects.filter(agency__province=province, year__in=years)
                 .select_related("consultant").order_by("year", "number"))
    stats: dict = {}
    for training_id, attended, passed, certified in Participant.objects.filter(training__in=trainings).values_list(
            "training_id", "attended", "passed", "certificate_sequence"):
        counts = stats.setdefault(training_id, [0, 0, 0, 0])
        counts[0] += 1
        counts[1] += int(attended)
        counts[2] += int(passed)
        counts[3] += int(certified is not None)
    for training in trainings:
        counts = stats.get(training.pk, [0, 0, 0, 0])
        courses.append([training.reference, training.topic, str(training.get_kind_display()), training.start_on,
                        training.end_on, training.location,
                        training.trainer or (training.consultant.name if training.consultant_id else ""), *counts])
        for column in (4, 5):
            courses.cell(row=courses.max_row, column=column).number_format = "DD/MM/YYYY"
    for letter, width in zip("ABCDEFGHIJK", (10, 48, 28, 12, 12, 28, 28, 12, 12, 12, 12), strict=True):
        courses.column_dimensions[letter].width = width

    people = book.create_sheet(_("Participants"))
    people.append([_("Course"), _("Agency code"), _("Agency"), _("Full name"), _("Position"), _("Attended"),
                   _("Passed"), _("Certificate number")])
    _bold_row(people, 1)
    yes, no = _("yes"), _("no")
    for participant in (Participant.objects.filter(training__in=trainings).select_related("training", "agency")
                        .order_by("training__year", "training__number", "agency__name", "full_name")):
        people.append([participant.training.reference, participant.agency.code, participant.agency.name,
                       participant.full_name, participant.position, yes if participant.attended else no,
                       yes if participant.passed else no, participant.certificate_number])
    for letter, width in zip("ABCDEFGH", (10, 16, 44, 28, 28, 10, 10, 18), strict=True):
        people.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
