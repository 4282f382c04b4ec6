app_name = "announcements"

urlpatterns: list = []
