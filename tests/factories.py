"""factory_boy factories. Every agency-owned row gets an agency through the chain."""

import factory
from django.conf import settings

from eiso.core.permissions import Role
from eiso.organizations.choices import AdminUnitLevel, AgencyKind
from eiso.organizations.models import QMS, AdminUnit, Agency, OrgUnit, RoleAssignment, SupervisingAuthority

PASSWORD = "a-Strong-test-password-1"


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdminUnit

    level = AdminUnitLevel.PROVINCE
    code = factory.Sequence(lambda n: f"P{n:03d}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử Nghiệm {n}")
    division_type = "tỉnh"


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdminUnit

    level = AdminUnitLevel.COMMUNE
    code = factory.Sequence(lambda n: f"C{n:05d}")
    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    division_type = "xã"
    parent = factory.SubFactory(ProvinceFactory)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"AG-{n:04d}")
    name = factory.Sequence(lambda n: f"Ủy ban nhân dân xã Thử Nghiệm {n}")
    kind = AgencyKind.PEOPLES_COMMITTEE
    admin_unit = factory.SubFactory(CommuneFactory)


class QMSFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QMS

    agency = factory.SubFactory(AgencyFactory)
    code = "HTQLCL"
    name = factory.LazyAttribute(lambda o: f"HTQLCL {o.agency.name}")


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Bộ phận {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = settings.AUTH_USER_MODEL
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Người Dùng {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.STAFF


def user_with_role(role: str, agency: Agency, **kwargs):
    user = UserFactory()
    RoleAssignmentFactory(user=user, agency=agency, role=role, **kwargs)
    return user


def supervising(agency: Agency) -> SupervisingAuthority:
    return SupervisingAuthority.objects.create(province=agency.province, agency=agency)
