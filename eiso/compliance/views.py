"""Pages of the compliance calendar: the agency's year month by month, the supervising authority's overview,
the evidence folder (page and XLSX index), and the POST actions (open a year, move a due date, mark a manual item
done) that call the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from eiso.compliance import selectors, services
from eiso.compliance.evidence import evidence_folder, evidence_xlsx
from eiso.compliance.forms import DoneForm, MoveForm, OverviewForm
from eiso.compliance.models import ComplianceItem
from eiso.compliance.obligations import BY_KEY
from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.permissions import scope_for, today
from eiso.core.views import ObjectActionView, viewed_agency

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def chosen_agency(request):
    """The agency whose calendar is shown: `?agency=` (a supervised agency, for the supervising authority) or the
    current one. Not visible to the user: 404."""
    agency = viewed_agency(request, ComplianceItem)
    if agency is None or not selectors.can_view(request.user, agency):
        raise Http404
    return agency


def chosen_year(request) -> int:
    try:
        year = int(request.GET.get("year") or today().year)
    except ValueError:
        return today().year
    return year if 2000 <= year <= 2100 else today().year


def calendar_url(agency, year: int, request=None) -> str:
    url = f"{reverse('compliance:calendar')}?year={year}"
    if request is None or request.agency is None or request.agency.pk != agency.pk:
        url += f"&agency={agency.pk}"
    return url


class CalendarView(LoginRequiredMixin, TemplateView):
    """The agency's year: every obligation with its status, month by month."""

    template_name = "compliance/calendar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agency, year = chosen_agency(self.request), chosen_year(self.request)
        states = selectors.year_states(agency=agency, year=year)
        manage = selectors.can_manage(self.request.user, agency)
        context.update({
            "title": _("Compliance calendar %(year)s") % {"year": year},
            "agency": agency, "year": year, "states": states,
            "months": selectors.calendar_months(states, year),
            "counts": selectors.status_counts(states),
            "is_open": selectors.is_year_open(agency=agency, year=year),
            "years": selectors.calendar_years(agency=agency),
            "other_agency": self.request.agency is None or self.request.agency.pk != agency.pk,
            "can_manage": manage, "move_form": MoveForm(), "done_form": DoneForm(),
            "due_soon_days": selectors.due_soon_days(),
        })
        return context


class OverviewView(LoginRequiredMixin, TemplateView):
    """The supervising authority: the agencies of its provinces with their overdue items of the year."""

    template_name = "compliance/overview.html"

    def get(self, request, *args, **kwargs):
        scope = scope_for(request.user)
        if not (scope.is_global or scope.supervised_provinces):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = OverviewForm(self.request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        year = data.get("year") or today().year
        obligation = data.get("obligation") or ""
        rows = selectors.province_overview(user=self.request.user, year=year, obligation=obligation,
                                           only_overdue=bool(data.get("overdue")))
        context.update({
            "title": _("Compliance of the supervised agencies %(year)s") % {"year": year},
            "form": form, "year": year, "rows": rows,
            "obligation": BY_KEY.get(obligation),
            "overdue_agencies": sum(1 for r in rows if r.overdue),
            "overdue_items": sum(len(r.overdue) for r in rows),
        })
        return context


class EvidenceView(LoginRequiredMixin, TemplateView):
    """The year's evidence folder: the records by category."""

    template_name = "compliance/evidence.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agency, year = chosen_agency(self.request), self.kwargs["year"]
        context.update({
            "title": _("Evidence folder %(year)s") % {"year": year}, "agency": agency, "year": year,
            "categories": evidence_folder(user=self.request.user, agency=agency, year=year),
            "calendar_url": calendar_url(agency, year, self.request),
            "xlsx_url": reverse("compliance:evidence_xlsx", args=[year]) + f"?agency={agency.pk}",
        })
        return context


class EvidenceXlsxView(LoginRequiredMixin, View):
    """The evidence folder's index as an XLSX workbook."""

    def get(self, request, year: int):
        agency = chosen_agency(request)
        categories = evidence_folder(user=request.user, agency=agency, year=year)
        content = evidence_xlsx(categories, agency=agency, year=year, absolute=request.build_absolute_uri)
        response = HttpResponse(content, content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="ho-so-minh-chung-{year}.xlsx"'
        return response


class YearStartView(LoginRequiredMixin, View):
    """Open the current agency's year, from the previous year's objectives and audit programme."""

    def post(self, request, year: int):
        agency = request.agency
        if agency is None or not selectors.can_view(request.user, agency):
            raise Http404
        target = f"{reverse('compliance:calendar')}?year={year}"
        try:
            result = services.compliance_year_start(actor=request.user, agency=agency, year=year)
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(target)
        messages.success(request, _("The year %(year)s is open: %(count)s obligations in the calendar.")
                         % {"year": year, "count": len(result.items)})
        if result.objectives_copied is not None:
            messages.info(request, _("%(count)s quality objectives copied from %(year)s as drafts.")
                          % {"count": result.objectives_copied, "year": year - 1})
        if result.programme is not None:
            messages.info(request, _("The audit programme of %(year)s copied as a draft.") % {"year": year - 1})
        for note in result.notes:
            messages.warning(request, note)
        return redirect(target)


class ItemActionView(ObjectActionView):
    model = ComplianceItem
    select_related = ("agency",)
    permission = "change"
    follow_next = False

    def get_default_url(self, item):
        return calendar_url(item.agency, item.year, self.request)


class ItemMoveView(ItemActionView):
    def act(self, request, item):
        form = MoveForm(request.POST)
        form.is_valid()
        services.compliance_item_move(actor=request.user, item=item, due_on=form.cleaned_data.get("due_on"),
                                      reason=request.POST.get("reason", ""))
        return _("Saved.")


class ItemDoneView(ItemActionView):
    def act(self, request, item):
        form = DoneForm(request.POST)
        form.is_valid()
        if "done_on" in form.errors:
            raise ApplicationError(_("Give the date it was done as dd/mm/yyyy."), code="invalid_date")
        services.compliance_item_done(actor=request.user, item=item, evidence=request.POST.get("evidence", ""),
                                      done_on=form.cleaned_data.get("done_on"))
        return _("Saved.")
