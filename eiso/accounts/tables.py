import django_tables2 as tables
from django.contrib.auth import get_user_model


class UserTable(tables.Table):
    username = tables.Column(linkify=("accounts:user_detail", {"pk": tables.A("pk")}))

    class Meta:
        model = get_user_model()
        fields = ["username", "full_name", "position", "email", "is_active", "last_login"]
