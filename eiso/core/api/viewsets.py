"""Base viewsets: every API list and detail is scoped by restrict(); writes go through services."""

from rest_framework import mixins, viewsets


class RestrictedViewSetMixin:
    """Reads are restricted to what the user may view (outside the scope: 404). Writes are checked by
    the service the viewset calls (inside the view scope but without the right: 403)."""

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, "view")


class RestrictedReadOnlyViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class RestrictedModelViewSet(
    RestrictedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Subclasses implement perform_create/perform_update/perform_destroy by calling services."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
