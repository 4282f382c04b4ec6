"""Pages of the PAR-index evidence: the province's scores (page and XLSX), one agency's scores and its evidence
ZIP, and the criteria of a year (list, add, edit, delete, copy from the previous year)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from eiso.core.errors import ApplicationError, PermissionDeniedError
from eiso.core.permissions import AGENCY_MANAGERS, scope_for, today
from eiso.core.views import ObjectDeleteView, ObjectEditView
from eiso.organizations import selectors as organizations
from eiso.organizations.selectors import supervised_provinces
from eiso.par import selectors, services
from eiso.par.evidence import XLSX, evidence_zip, province_xlsx
from eiso.par.forms import CopyForm, CriterionForm, ScoresForm
from eiso.par.models import ParCriterion


def chosen_year(request) -> int:
    try:
        year = int(request.GET.get("year") or today().year)
    except ValueError:
        return today().year
    return year if 2014 <= year <= 2100 else today().year


def chosen_province(request):
    """The province of a province-wide page: `?province=` among those the user supervises (404 for another), or
    the user's own. A user who supervises no province: 403."""
    if not supervised_provinces(request.user).exists():
        raise PermissionDenied
    province = organizations.chosen_province(request.user, request.GET.get("province"),
                                             agency=getattr(request, "agency", None))
    if province is None:
        raise Http404
    return province


def chosen_agency(request):
    """The agency of `?agency=` (or the current one) if the user may see its PAR-index evidence, else 404."""
    from eiso.organizations.models import Agency

    wanted = request.GET.get("agency")
    agency = getattr(request, "agency", None)
    if wanted:
        try:
            agency = Agency.objects.select_related("province").filter(pk=uuid.UUID(wanted)).first()
        except ValueError:  # a malformed id answers like an unknown one
            agency = None
    if agency is None or not selectors.can_see_agency(request.user, agency):
        raise Http404
    return agency


def _query(**values) -> str:
    return "?" + urlencode({k: v for k, v in values.items() if v not in (None, "")})


class IndexView(LoginRequiredMixin, View):
    """The menu's entry: supervisors open their province's scores, an agency's managers their agency's."""

    def get(self, request):
        if supervised_provinces(request.user).exists():
            return redirect("par:province")
        agency = request.agency
        if agency is not None and scope_for(request.user).roles_in(agency.pk) & AGENCY_MANAGERS:
            return redirect("par:agency")
        raise PermissionDenied


class ProvinceView(LoginRequiredMixin, TemplateView):
    """Agencies × criteria with the points each agency's records give."""

    template_name = "par/province.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        province, year = chosen_province(self.request), chosen_year(self.request)
        levels = selectors.levels()
        form = ScoresForm(self.request.GET or None, levels=levels)
        level = form.cleaned_data.get("level", "") if form.is_valid() else ""
        criteria, rows = selectors.province_scores(province=province, year=year, level=level)
        context.update({
            "title": _("PAR index %(year)s — %(province)s") % {"year": year, "province": province},
            "province": province, "year": year, "form": form, "criteria": criteria, "rows": rows,
            "level_labels": dict(levels), "level": level,
            "provinces": supervised_provinces(self.request.user),
            "can_manage": selectors.can_manage_criteria(self.request.user, province),
            "xlsx_url": reverse("par:province_xlsx") + _query(province=province.pk, year=year, level=level),
            "criteria_url": reverse("par:criterion_list") + _query(province=province.pk, year=year),
            "notes": sorted({note for row in rows for note in row.notes}),
        })
        return context


class ProvinceXlsxView(LoginRequiredMixin, View):
    def get(self, request):
        province, year = chosen_province(request), chosen_year(request)
        levels = selectors.levels()
        level = request.GET.get("level", "") if request.GET.get("level", "") in dict(levels) else ""
        criteria, rows = selectors.province_scores(province=province, year=year, level=level)
        content = province_xlsx(province=province, year=year, criteria=criteria, rows=rows,
                                level_labels=dict(levels), today=today())
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="chi-so-cchc-{year}.xlsx"'
        return response


class AgencyView(LoginRequiredMixin, TemplateView):
    """One agency's points on its province's criteria, what the records say, and the evidence ZIP."""

    template_name = "par/agency.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agency, year = chosen_agency(self.request), chosen_year(self.request)
        criteria = selectors.criteria_for(province=agency.province, year=year) if agency.province_id else []
        score = selectors.agency_score(agency=agency, year=year, criteria=criteria)
        context.update({
            "title": _("PAR index evidence %(year)s") % {"year": year}, "agency": agency, "year": year,
            "score": score,
            "zip_url": reverse("par:evidence_zip") + _query(agency=agency.pk, year=year),
        })
        return context


class EvidenceZipView(LoginRequiredMixin, View):
    def get(self, request):
        agency, year = chosen_agency(request), chosen_year(request)
        criteria = selectors.criteria_for(province=agency.province, year=year) if agency.province_id else []
        day = today()
        score = selectors.agency_score(agency=agency, year=year, criteria=criteria, today=day)
        content = evidence_zip(user=request.user, score=score, absolute=request.build_absolute_uri, today=day)
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="minh-chung-cchc-{agency.code}-{year}.zip"'
        return response


# --- Criteria ----------------------------------------------------------------------------------------------


class CriterionListView(LoginRequiredMixin, TemplateView):
    template_name = "par/criterion_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        province, year = chosen_province(self.request), chosen_year(self.request)
        context.update({
            "title": _("PAR-index criteria %(year)s — %(province)s") % {"year": year, "province": province},
            "province": province, "year": year, "criteria": selectors.criteria_for(province=province, year=year),
            "years": sorted(set(selectors.criteria_years(province=province)) | {year, today().year}, reverse=True),
            "provinces": supervised_provinces(self.request.user),
            "can_manage": selectors.can_manage_criteria(self.request.user, province),
            "copy_form": CopyForm(initial={"from_year": year - 1, "to_year": year}),
            "add_url": reverse("par:criterion_add") + _query(province=province.pk, year=year),
            "scores_url": reverse("par:province") + _query(province=province.pk, year=year),
        })
        return context


class CriterionEditView(ObjectEditView):
    model = ParCriterion
    queryset = ParCriterion.objects.select_related("agency", "agency__province")
    form_class = CriterionForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and "pk" not in kwargs:
            self.province = chosen_province(request)
        return super().dispatch(request, *args, **kwargs)

    def can_add(self) -> bool:
        return selectors.can_manage_criteria(self.request.user, self.province)

    def get_initial(self):
        return {"year": chosen_year(self.request), "scoring": "all_or_nothing"} if self.object is None else {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object is None:
            context["title"] = _("Add a PAR-index criterion — %(province)s") % {"province": self.province}
        return context

    def save(self, form):
        data = {name: form.cleaned_data.get(name) for name in form.Meta.fields}
        if self.object is None:
            return services.criterion_create(actor=self.request.user, province=self.province, data=data)
        return services.criterion_update(actor=self.request.user, criterion=self.object, data=data)


class CriterionDeleteView(ObjectDeleteView):
    model = ParCriterion

    def post(self, request, *args, **kwargs):
        criterion = self.get_object()
        target = criterion.get_absolute_url()
        try:
            services.criterion_delete(actor=request.user, criterion=criterion)
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        messages.success(request, _("Deleted."))
        return redirect(target)


class CriteriaCopyView(LoginRequiredMixin, View):
    """Start a year's criteria from another year's."""

    def post(self, request):
        province = chosen_province(request)
        if not selectors.can_manage_criteria(request.user, province):
            raise PermissionDenied
        form = CopyForm(request.POST)
        to_year = chosen_year(request)
        if not form.is_valid():
            messages.error(request, _("Give both years, from 2014 to 2100."))
        else:
            to_year = form.cleaned_data["to_year"]
            try:
                copies = services.criteria_copy_year(actor=request.user, province=province,
                                                     from_year=form.cleaned_data["from_year"], to_year=to_year)
            except PermissionDeniedError as exc:
                raise PermissionDenied from exc
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("%(count)s criteria copied to %(year)s: edit them to the new "
                                            "methodology.") % {"count": len(copies), "year": to_year})
        return redirect(reverse("par:criterion_list") + _query(province=province.pk, year=to_year))

