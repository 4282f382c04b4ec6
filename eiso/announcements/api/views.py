"""API of conformity announcements. Reads are scoped by restrict() (another agency's: 404); every write is one
service call. The agency (and QMS) in a body are looked up among what the user may see: an unseen one answers like an
unknown one (400)."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from eiso.announcements import documents, services
from eiso.announcements.api import serializers as s
from eiso.announcements.models import ConformityAnnouncement
from eiso.core.api.filters import IdFilterSet
from eiso.core.api.inputs import validated, visible
from eiso.core.api.viewsets import RestrictedViewSetMixin
from eiso.core.errors import ApplicationError
from eiso.organizations.models import QMS, Agency

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class AnnouncementFilterSet(IdFilterSet):
    class Meta:
        model = ConformityAnnouncement
        fields = ["agency", "year", "status", "kind"]


@extend_schema(tags=["announcements"])
class ConformityAnnouncementViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin, mixins.ListModelMixin,
                                    mixins.RetrieveModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin,
                                    viewsets.GenericViewSet):
    """Conformity announcements (Decision 19/2014). Filters: agency, year, status, kind. Prepare a draft (POST),
    change it (PUT/PATCH) or delete it while it is a draft; POST sign (the agency head), acknowledge (the supervising
    authority of the province), posting (the date and web address of the posting); GET decision-docx,
    decision-pdf. A signed announcement never changes (400)."""

    queryset = ConformityAnnouncement.objects.select_related("agency", "qms")
    serializer_class = s.ConformityAnnouncementSerializer
    filterset_class = AnnouncementFilterSet
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def _answer(self, announcement, status_code=status.HTTP_200_OK):
        fresh = ConformityAnnouncement.objects.get(pk=announcement.pk)
        return Response(s.ConformityAnnouncementSerializer(fresh).data, status=status_code)

    @extend_schema(request=s.AnnouncementCreateSerializer, responses={201: s.ConformityAnnouncementSerializer})
    def create(self, request, *args, **kwargs):
        """Prepare a draft of `agency`, pre-filled from its QMS and published procedure processes (a re-announcement
        when one is in force)."""
        data = dict(validated(request, s.AnnouncementCreateSerializer))
        agency = visible(Agency.objects, request.user, data.pop("agency"), "agency", _("Unknown agency."))
        qms_id = data.pop("qms")
        qms = None
        if qms_id is not None:
            qms = QMS.objects.filter(pk=qms_id, agency=agency).first()
            if qms is None:
                message = _("Choose a QMS of the announcing agency.")
                raise ApplicationError(message, code="unknown_qms", errors={"qms": [message]})
        announcement = services.announcement_prepare(actor=request.user, agency=agency, qms=qms, **data)
        return self._answer(announcement, status.HTTP_201_CREATED)

    @extend_schema(request=s.AnnouncementWriteSerializer, responses={200: s.ConformityAnnouncementSerializer})
    def update(self, request, *args, **kwargs):
        """Change a draft (PATCH: only the fields sent); a signed announcement is refused (400)."""
        announcement = self.get_object()
        data = validated(request, s.AnnouncementWriteSerializer, partial=kwargs.get("partial", False))
        return self._answer(services.announcement_update(actor=request.user, announcement=announcement, **data))

    @extend_schema(request=s.AnnouncementWriteSerializer, responses={200: s.ConformityAnnouncementSerializer})
    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        """Delete a draft; a signed announcement is refused (400)."""
        services.announcement_delete(actor=request.user, announcement=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.AnnouncementSignSerializer, responses={200: s.ConformityAnnouncementSerializer})
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """The agency head signs: numbered, the procedures frozen, the supervising authority notified, the
        announcement replaced superseded. Refused without a published procedure process or the head's confirmation
        of effectiveness (400, with what to do)."""
        data = validated(request, s.AnnouncementSignSerializer)
        return self._answer(services.announcement_sign(actor=request.user, announcement=self.get_object(),
                                                       signed_on=data["signed_on"], number=data["number"]))

    @extend_schema(request=None, responses={200: s.ConformityAnnouncementSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """The supervising authority of the agency's province acknowledges receipt."""
        return self._answer(services.announcement_acknowledge(actor=request.user, announcement=self.get_object()))

    @extend_schema(request=s.AnnouncementPostingSerializer, responses={200: s.ConformityAnnouncementSerializer})
    @action(detail=True, methods=["post"])
    def posting(self, request, pk=None):
        """Record the posting at the agency's seat (date) and on its website (address)."""
        data = validated(request, s.AnnouncementPostingSerializer)
        return self._answer(services.announcement_posting_record(
            actor=request.user, announcement=self.get_object(), posted_on=data["posted_on"],
            posted_url=data["posted_url"]))

    @extend_schema(responses={(200, DOCX): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"], url_path="decision-docx")
    def decision_docx(self, request, pk=None):
        """The decision as a Word file (a draft is marked DỰ THẢO)."""
        announcement = self.get_object()
        response = HttpResponse(documents.decision_docx(announcement), content_type=DOCX)
        response["Content-Disposition"] = f'attachment; filename="{documents.filename(announcement, "docx")}"'
        return response

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"], url_path="decision-pdf")
    def decision_pdf(self, request, pk=None):
        """The decision as PDF."""
        announcement = self.get_object()
        response = HttpResponse(documents.decision_pdf(announcement), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{documents.filename(announcement, "pdf")}"'
        return response
