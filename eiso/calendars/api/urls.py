from django.urls import include, path
from rest_framework.routers import SimpleRouter

from eiso.calendars.api import views

router = SimpleRouter()
router.register("days", views.CalendarDayViewSet, basename="calendarday")

urlpatterns = [
    path("", include(router.urls)),
    path("add-working-time/", views.AddWorkingTimeView.as_view(), name="calendar-add-working-time"),
    path("working-time-between/", views.WorkingTimeBetweenView.as_view(), name="calendar-working-time-between"),
]
