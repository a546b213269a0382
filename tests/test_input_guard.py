"""The input guard, by construction: the request half (``base.guard``: NUL bytes, lone
surrogates, overlong query values, oversized formsets and requests are refused with a 400 before
any view) and the form half (``base.forms``: an id is checked before any query, on every
database). Guard tests make sure every form and every admin page of the project is built from the
guarded pieces, so a new one cannot forget them."""

import contextlib
import importlib
import importlib.util
import inspect

import pytest
from django import forms
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from base.admin import GuardedAdminMixin
from base.forms import MAX_ID, ModelChoiceField, ModelMultipleChoiceField, check_date_range
from base.guard import MAX_FORMSET_FORMS, MAX_QUERY_VALUE
from cases.forms import CaseFieldsForm
from cases.models import LifeDomain
from tests.factories import PASSWORD, CaseFactory, make_administrator

pytestmark = pytest.mark.both_databases  # and on SQLite: scripts/run-tests

PROJECT_APPS = ("base", "accounts", "cases", "volunteers", "socialmap", "privacy", "reports", "perf", "wijkteam")


def _project_forms() -> list[type[forms.BaseForm]]:
    for app in PROJECT_APPS:
        for module in ("forms", "views", "admin"):
            with contextlib.suppress(ModuleNotFoundError):  # not every app has each
                importlib.import_module(f"{app}.{module}")
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in PROJECT_APPS and not inspect.isabstract(cls):
            found.append(cls)
    return found


def test_every_form_chooses_records_through_the_guarded_fields():
    unguarded = [
        f"{cls.__module__}.{cls.__name__}.{name}: {type(field).__name__}"
        for cls in _project_forms()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField)
        and not isinstance(field, ModelChoiceField | ModelMultipleChoiceField)
    ]
    assert _project_forms(), "the walk over the forms found nothing"
    assert unguarded == []


def test_every_number_field_stays_within_what_a_database_stores():
    unbounded = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in _project_forms()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.IntegerField)
        and not (isinstance(field, forms.DecimalField) and field.max_digits)  # bounded by its digits
        and (field.max_value is None or field.max_value > MAX_ID)
    ]
    assert unbounded == []


def test_every_date_field_keeps_to_the_dates_a_person_means():
    unguarded = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in _project_forms()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.DateField | forms.DateTimeField) and check_date_range not in field.validators
    ]
    assert unguarded == []


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01"])
def test_a_date_out_of_range_is_refused_with_a_message(value):
    from accounts.models import User
    from volunteers.forms import AbsenceForm

    absence = AbsenceForm({"person": "", "start_date": value, "end_date": value}, people=User.objects.none())

    assert not absence.is_valid()
    assert "1900" in " ".join(absence.errors["start_date"])


def test_every_admin_page_is_built_from_the_guarded_admin():
    unguarded = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS and model not in (TOTPDevice, StaticDevice):
            continue  # Django's and the libraries' own reference tables (groups, lockout records)
        for page in [model_admin, *model_admin.get_inline_instances(_admin_request())]:
            if not isinstance(page, GuardedAdminMixin):
                unguarded.append(f"{model.__name__}: {type(page).__name__}")
    assert unguarded == []


def _admin_request():
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = make_administrator()
    return request


OUT_OF_RANGE = [str(2**63), str(2**64), str(2**70), "9" * 40, "9" * 5000, "-1", "0", "1.5", "1e400", "x", " 1 2"]


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_an_id_out_of_range_is_not_a_valid_choice_on_this_database(value):
    form = CaseFieldsForm({"intake_channel": "phone", "domains": [value], "urgency": "normal", "request_for_help": "x"})

    assert not form.is_valid()
    assert "domains" in form.errors


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_a_single_choice_out_of_range_is_not_a_valid_choice(value):
    field = ModelChoiceField(queryset=LifeDomain.objects.all())

    with pytest.raises(forms.ValidationError):
        field.clean(value)


def test_a_valid_id_still_chooses():
    domain = LifeDomain.objects.first()

    assert ModelMultipleChoiceField(queryset=LifeDomain.objects.all()).clean([str(domain.pk)]).get() == domain


# --- the request half --------------------------------------------------------------------------


@pytest.fixture
def professional_client(client):
    case = CaseFactory(active=True)
    client.login(username=case.responsible.username, password=PASSWORD)
    client.raise_request_exception = False
    return client, case


@pytest.mark.parametrize("value", ["Jan\x00sen", "\x00", "%00"])
def test_a_control_character_in_a_search_is_a_bad_request(professional_client, value):
    client, _case = professional_client

    response = client.get(reverse("cases:resident_search") + "?q=" + value.replace("\x00", "%00"))

    assert response.status_code == 400
    assert "Dit verzoek kan niet worden verwerkt" in response.content.decode()  # the plain page


def test_a_nul_byte_in_a_form_is_a_bad_request_and_nothing_is_saved(professional_client):
    client, case = professional_client

    response = client.post(
        reverse("cases:journal_add", args=[case.pk]), {"text": "Gebeld\x00", "visibility": "professionals"}
    )

    assert response.status_code == 400
    assert not case.journal_entries.exists()


def test_lone_surrogates_in_the_raw_request_never_answer_500(professional_client):
    client, case = professional_client

    search = client.get(reverse("cases:resident_search") + "?q=a%ED%A0%80b")
    response = client.post(
        reverse("cases:journal_add", args=[case.pk]),
        b"text=%ED%A0%80&visibility=professionals",
        content_type="application/x-www-form-urlencoded",
    )

    assert search.status_code < 500 and response.status_code < 500


def test_an_overlong_query_value_is_a_bad_request(professional_client):
    client, _case = professional_client

    response = client.get(reverse("cases:list"), {"q": "x" * (MAX_QUERY_VALUE + 1)})

    assert response.status_code == 400


def test_a_huge_formset_in_the_admin_is_refused_at_once(client):
    client.login(username=make_administrator().username, password=PASSWORD)
    client.raise_request_exception = False

    response = client.post(
        reverse("admin:accounts_team_add"),
        {"name": "Team", "villages-TOTAL_FORMS": str(10**6), "villages-INITIAL_FORMS": "0"},
    )

    assert response.status_code == 400
    assert len(response.content) < 50_000


def test_a_formset_within_the_limit_is_handled_by_the_admin(client):
    client.login(username=make_administrator().username, password=PASSWORD)

    response = client.post(
        reverse("admin:accounts_team_add"),
        {"name": "", "villages-TOTAL_FORMS": str(MAX_FORMSET_FORMS), "villages-INITIAL_FORMS": "0"},
    )

    assert response.status_code == 200  # the form again, with its errors


def test_too_many_fields_are_a_bad_request(professional_client, settings):
    client, case = professional_client

    body = "&".join(f"f{n}=x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = client.post(
        reverse("cases:journal_add", args=[case.pk]), body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400


# --- the admin's second-factor pages -----------------------------------------------------------


@pytest.fixture
def superuser_client():
    from accounts.models import User

    user = make_administrator()
    User.objects.filter(pk=user.pk).update(is_superuser=True)
    client = Client(raise_request_exception=False)
    client.login(username=user.username, password=PASSWORD)
    return client, user


@pytest.mark.parametrize("page", ["config", "qrcode"])
def test_the_authenticator_pages_answer_without_an_error_for_any_id(superuser_client, page):
    client, user = superuser_client
    device = TOTPDevice.objects.create(user=user, name="telefoon")

    for pk in (device.pk, 999_999):
        response = client.get(f"/beheer/otp_totp/totpdevice/{pk}/{page}/")
        assert response.status_code in (403, 404)  # never a key or QR code, never an error page


def test_the_admin_never_shows_a_second_factor_secret(superuser_client):
    client, user = superuser_client
    device = TOTPDevice.objects.create(user=user, name="telefoon")
    backup = StaticDevice.objects.create(user=user, name="reserve")
    StaticToken.objects.create(device=backup, token="geheim123")

    totp_page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk])).content.decode()
    backup_page = client.get(reverse("admin:otp_static_staticdevice_change", args=[backup.pk])).content.decode()

    assert device.key not in totp_page
    assert "geheim123" not in backup_page


def test_the_guard_walk_sees_the_forms_of_every_app_that_has_them():
    apps_with_forms = {app for app in PROJECT_APPS if importlib.util.find_spec(f"{app}.forms") is not None}

    walked = {cls.__module__.split(".")[0] for cls in _project_forms()}

    assert apps_with_forms <= walked
