from django.contrib.auth.models import AnonymousUser, Group

import pytest

from portal.grants import ROLE_PERMISSIONS
from portal.lib.models import User
from portal.lib.roles import Role, is_province_staff, primary_role, roles_of
from tests.factories import UserFactory


def user_with(*roles: Role) -> User:
    user = UserFactory()
    user.groups.add(*Group.objects.filter(name__in=[role.value for role in roles]))
    return User.objects.get(pk=user.pk)


def test_the_migrations_create_exactly_the_role_groups(db: None) -> None:
    assert set(Group.objects.values_list("name", flat=True)) == {role.value for role in Role}


def test_the_groups_hold_exactly_the_permissions_of_roles_py(db: None) -> None:
    """roles.py and the data migrations must agree: a change to one needs the other."""
    in_database = {
        group.name: {
            f"{permission.content_type.app_label}.{permission.codename}"
            for permission in group.permissions.select_related("content_type")
        }
        for group in Group.objects.all()
    }
    expected = {role.value: set(codenames) for role, codenames in ROLE_PERMISSIONS.items()}
    assert in_database == expected


def test_every_role_has_permissions(db: None) -> None:
    assert set(ROLE_PERMISSIONS) == set(Role)
    assert all(ROLE_PERMISSIONS.values())


@pytest.mark.parametrize("role", list(Role))
def test_a_user_gets_the_permissions_of_their_role(role: Role, db: None) -> None:
    assert user_with(role).get_all_permissions() == set(ROLE_PERMISSIONS[role])


def test_only_the_beheerder_may_add_and_change_organisations(db: None) -> None:
    assert user_with(Role.BEHEERDER).has_perm("partners.change_organisation")
    for role in (Role.PARTNER, Role.STAFF, Role.ACCOUNT_HOLDER):
        user = user_with(role)
        assert not user.has_perm("partners.add_organisation"), role
        assert not user.has_perm("partners.change_organisation"), role


def test_nobody_may_delete_organisations_in_the_portal(db: None) -> None:
    assert not any("partners.delete_organisation" in perms for perms in ROLE_PERMISSIONS.values())


@pytest.mark.parametrize("role", list(Role))
def test_a_user_in_one_group_has_that_one_role(role: Role, db: None) -> None:
    user = user_with(role)
    assert roles_of(user) == {role}
    assert primary_role(user) is role


def test_a_user_without_a_group_has_no_role(db: None) -> None:
    user = user_with()
    assert roles_of(user) == set()
    assert primary_role(user) is None
    assert not is_province_staff(user)
    assert not user.has_perm("partners.view_organisation")


def test_an_anonymous_user_has_no_role() -> None:
    anonymous = AnonymousUser()
    assert roles_of(anonymous) == set()
    assert primary_role(anonymous) is None
    assert not is_province_staff(anonymous)


def test_groups_that_are_not_roles_are_ignored(db: None) -> None:
    user = UserFactory()
    user.groups.add(Group.objects.create(name="redactie"))
    user.groups.add(Group.objects.get(name=Role.STAFF.value))
    assert roles_of(User.objects.get(pk=user.pk)) == {Role.STAFF}


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ((Role.PARTNER, Role.STAFF), Role.STAFF),
        ((Role.STAFF, Role.ACCOUNT_HOLDER), Role.ACCOUNT_HOLDER),
        ((Role.PARTNER, Role.ACCOUNT_HOLDER), Role.ACCOUNT_HOLDER),
        ((Role.ACCOUNT_HOLDER, Role.BEHEERDER), Role.BEHEERDER),
        ((Role.PARTNER, Role.BEHEERDER), Role.BEHEERDER),
        ((Role.STAFF, Role.BEHEERDER), Role.BEHEERDER),
        ((Role.PARTNER, Role.STAFF, Role.ACCOUNT_HOLDER, Role.BEHEERDER), Role.BEHEERDER),
    ],
)
def test_the_primary_role_is_the_most_capable_one(
    roles: tuple[Role, ...], expected: Role, db: None
) -> None:
    """Precedence: beheerder > account-holder > staff > partner."""
    user = user_with(*roles)
    assert roles_of(user) == set(roles)
    assert primary_role(user) is expected


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ((Role.PARTNER,), False),
        ((Role.STAFF,), True),
        ((Role.ACCOUNT_HOLDER,), True),
        ((Role.BEHEERDER,), True),
        ((Role.PARTNER, Role.STAFF), True),
        ((), False),
    ],
)
def test_staff_account_holders_and_beheerders_are_province_staff(
    roles: tuple[Role, ...], expected: bool, db: None
) -> None:
    assert is_province_staff(user_with(*roles)) is expected


def test_roles_are_read_once_per_user_object(db: None, django_assert_num_queries) -> None:
    user = user_with(Role.STAFF)
    with django_assert_num_queries(1):
        roles_of(user)
        primary_role(user)
        is_province_staff(user)
