"""The scope rules of langso.accounts.access."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from langso.accounts import access
from langso.accounts.actions import grant_membership
from langso.accounts.models import Role
from langso.lib.errors import RuleViolation
from langso.registry.models import Household


def test_editor_reads_and_writes_only_its_commune(territory, users):
    scope = access.scope_for(users["editor"])
    assert scope.readable == {territory["a"].pk} == scope.writable
    assert not scope.can_read_commune(territory["c"].pk)
    assert not scope.can_read_province(territory["p25"].pk)


def test_province_officer_reads_every_commune_of_its_province_and_writes_none(territory, users):
    scope = access.scope_for(users["reader"])
    assert scope.readable == {territory["a"].pk, territory["c"].pk}
    assert scope.writable == frozenset()
    assert scope.can_read_province(territory["p25"].pk)
    assert not scope.can_read_province(territory["p01"].pk)


def test_anonymous_and_inactive_reach_nothing(territory, users):
    assert access.scope_for(AnonymousUser()).is_empty
    users["editor"].is_active = False
    assert access.scope_for(users["editor"]).is_empty


def test_outsider_gets_404_not_403(territory, users):
    scope = access.scope_for(users["outsider"])
    with pytest.raises(Http404):
        access.get_commune_or_404(scope, "09154")
    with pytest.raises(Http404):
        access.get_commune_or_404(scope, "99999")  # same answer as for a unit that does not exist
    with pytest.raises(Http404):
        access.require_write(scope, territory["a"].pk)


def test_visible_to_filters_querysets(territory, users):
    from langso.registry import actions

    actions.create_household(None, territory["a"])
    actions.create_household(None, territory["b"])
    assert Household.objects.visible_to(access.scope_for(users["editor"])).count() == 1
    assert Household.objects.visible_to(access.scope_for(users["outsider"])).count() == 1
    assert Household.objects.visible_to(access.NO_ACCESS).count() == 0


def test_superuser_reaches_everything(territory, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x")
    scope = access.scope_for(root)
    assert scope.everything and scope.can_write_commune(territory["b"].pk)


def test_role_must_fit_unit_level(territory, users):
    with pytest.raises(RuleViolation):
        grant_membership(None, users["editor"], territory["p25"], Role.COMMUNE_OFFICER)
    with pytest.raises(RuleViolation):
        grant_membership(users["editor"], users["editor"], territory["c"], Role.COMMUNE_OFFICER)


def test_unit_rows_visible_for_readable_communes_and_opened_provinces(territory, users):
    """Indicator values and audit entries can belong to a commune or to a province roll-up."""
    import datetime as dt

    from django.utils import timezone

    from langso.indicators.models import Indicator, IndicatorValue

    indicator = Indicator.objects.create(code="X", name_vi="X", name_en="X", numerator="registry.households",
                                         unit="count", source="test")
    for unit in (territory["a"], territory["c"], territory["b"], territory["p25"], territory["p01"]):
        IndicatorValue.objects.create(indicator=indicator, unit=unit, period="202611", as_of=dt.date(2026, 11, 1),
                                      numerator=1, value=1, computed_at=timezone.now())

    def codes(user):
        return sorted(IndicatorValue.objects.visible_to(access.scope_for(user)).values_list("unit__code", flat=True))

    assert codes(users["editor"]) == ["09154"]
    assert codes(users["reader"]) == ["09154", "09157", "25"]
    assert codes(users["outsider"]) == ["00004"]
    assert IndicatorValue.objects.visible_to(access.NO_ACCESS).count() == 0


def test_villages_visible_to_scope(territory, users):
    from langso.territory.models import Village

    assert list(Village.objects.visible_to(access.scope_for(users["outsider"]))) == [territory["vb"]]
