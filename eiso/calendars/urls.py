from django.urls import path

from eiso.calendars import views

app_name = "calendars"

urlpatterns = [
    path("", views.CalendarView.as_view(), name="calendar"),
    path("deadline/", views.DeadlineView.as_view(), name="deadline"),
]
