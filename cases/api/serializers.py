"""The intake API's payload: Open Formulieren's generic JSON registration, checked strictly.

Open Formulieren posts ``{"values": {...}, "values_schema": {...}, "metadata": {...},
"metadata_schema": {...}}``: ``values`` holds the form's answers under the keys of its
components, ``metadata`` the submission's public reference among others. The form is built
with the component keys below (docs/deploy.md, "Intake API"). Everything is checked before
anything is recorded: only strings where strings belong (a number is not a name), lengths as in
the database, no NUL or lone surrogate (``base.guard``), known keys only in ``values`` (a form
that sends more, such as a BSN, is refused rather than silently stored or dropped), a village
of the client's municipality, life domains by their codes.
"""

from __future__ import annotations

import datetime
import re

from django.core.validators import EmailValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Village
from base.guard import FORBIDDEN

from ..constants import ConsentAnswer, LifeDomainCode
from ..models import LifeDomain

MAX_REQUEST_TEXT = 10_000  # as the intake page's form (cases.forms.MAX_TEXT)
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
POSTCODE = re.compile(r"^(\d{4})\s?([A-Za-z]{2})$")
CONSENT_ANSWERS = {"yes": ConsentAnswer.YES, "no": ConsentAnswer.NO, "": ConsentAnswer.NOT_ASKED}


class Text(serializers.CharField):
    """A string, and only a string (DRF's CharField would take 12 for "12"); no NUL and no lone
    surrogate, which no person types and PostgreSQL refuses. Surrounding spaces trimmed."""

    default_error_messages = {
        "not_a_string": _("Send text (a JSON string)."),
        "forbidden": _("The text contains a character that is not allowed."),
    }

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string")
        if FORBIDDEN.search(data):
            self.fail("forbidden")
        return super().to_internal_value(data)


class OptionalText(Text):
    """A string that may be empty, absent or null (Open Formulieren sends "" for an empty field)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("default", "")
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data is None:
            return True, ""
        return super().validate_empty_values(data)


@extend_schema_field({"type": "string", "format": "date", "nullable": True})
class BirthDate(serializers.Field):
    """``YYYY-MM-DD``, not in the future and not before 1900; "" or null: unknown."""

    default_error_messages = {
        "invalid": _("Send a date as YYYY-MM-DD."),
        "future": _("A date of birth cannot be in the future."),
        "too_old": _("A date of birth before 1900 is not plausible."),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("default", None)
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data == "":
            return True, None
        return super().validate_empty_values(data)

    def to_internal_value(self, data) -> datetime.date:
        if not isinstance(data, str) or not DATE.match(data):
            self.fail("invalid")
        try:
            value = datetime.date.fromisoformat(data)
        except ValueError:
            self.fail("invalid")
        if value > timezone.localdate():
            self.fail("future")
        if value.year < 1900:
            self.fail("too_old")
        return value

    def to_representation(self, value):
        return value.isoformat() if value else None


class Postcode(OptionalText):
    """A Dutch postcode, stored as the intake page stores it: "6661 AB"."""

    default_error_messages = {"postcode": _("Send a Dutch postcode, such as 6661 AB.")}

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not value:
            return ""
        match = POSTCODE.match(value)
        if match is None:
            self.fail("postcode")
        return f"{match[1]} {match[2].upper()}"


class Email(OptionalText):
    default_error_messages = {"email": _("Send a valid e-mail address.")}

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value:
            try:
                EmailValidator()(value)
            except Exception:
                self.fail("email")
        return value


@extend_schema_field(
    {
        "oneOf": [
            {"type": "array", "items": {"type": "string", "enum": LifeDomainCode.values}, "minItems": 1},
            {"type": "object", "properties": {code: {"type": "boolean"} for code in LifeDomainCode.values}},
        ]
    }
)
class LifeDomains(serializers.Field):
    """At least one life domain (R2), by code: a list (``["money", "housing"]``, Open
    Formulieren's select boxes "transformed to a list") or select boxes' own object
    (``{"money": true, "housing": false}``)."""

    default_error_messages = {
        "invalid": _("Send a list of life domain codes, or an object of codes with true or false."),
        "unknown": _("Unknown life domain: %(code)s. Known: %(known)s."),
        "empty": _("Choose at least one life domain."),
    }

    def to_internal_value(self, data) -> list[str]:
        if isinstance(data, dict):
            if not all(isinstance(key, str) and isinstance(value, bool) for key, value in data.items()):
                self.fail("invalid")
            codes = [key for key, chosen in data.items() if chosen]
            named = list(data)
        elif isinstance(data, list):
            if not all(isinstance(code, str) for code in data):
                self.fail("invalid")
            codes = named = data
        else:
            self.fail("invalid")
        if len(named) > len(LifeDomainCode.values):
            self.fail("invalid")
        for code in named:
            if code not in LifeDomainCode.values:
                raise serializers.ValidationError(
                    self.error_messages["unknown"] % {"code": code[:30], "known": ", ".join(LifeDomainCode.values)},
                    code="unknown",
                )
        if not codes:
            self.fail("empty")
        return list(dict.fromkeys(codes))

    def to_representation(self, value):
        return value


class StrictSerializer(serializers.Serializer):
    """Refuses keys it does not know, each by name."""

    unknown_message = _("Unknown field: remove it, or configure the form to leave it out.")

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = [key for key in data if key not in self.fields]
            if unknown:
                raise serializers.ValidationError(
                    {str(key)[:100]: [serializers.ErrorDetail(str(self.unknown_message), "unknown")] for key in unknown}
                )
        return super().to_internal_value(data)


class IntakeValuesSerializer(StrictSerializer):
    """The form's answers: the resident, the request for help and the life domains, and the
    answer to "may a volunteer join?" when the form asks it (R6)."""

    firstName = Text(max_length=100, help_text="The resident's first name.")
    lastName = Text(max_length=100, help_text="The resident's last name, with prefixes (van der …).")
    dateOfBirth = BirthDate(help_text="YYYY-MM-DD; empty or absent when not asked.")
    street = OptionalText(max_length=150)
    houseNumber = OptionalText(max_length=20, help_text="With a letter or addition: 12a, 12-2.")
    postcode = Postcode(help_text="A Dutch postcode: 6661 AB or 6661AB.")
    village = Text(max_length=100, help_text="The name of a village of the client's municipality (case-insensitive).")
    phone = OptionalText(max_length=32)
    email = Email()
    requestForHelp = Text(max_length=MAX_REQUEST_TEXT, help_text="The request for help, in the resident's words.")
    lifeDomains = LifeDomains(
        help_text="At least one of: health, parenting, money, housing, participation. A list of codes, "
        'or select boxes\' object ({"money": true, "housing": false}).'
    )
    consent = serializers.ChoiceField(
        choices=sorted(CONSENT_ANSWERS),
        required=False,
        allow_null=True,
        default="",
        help_text='May a volunteer join? "yes", "no"; empty or absent: not asked.',
    )

    def validate_village(self, value: str) -> Village:
        client = self.context["client"]
        village = Village.objects.filter(municipality_id=client.municipality_id, name__iexact=value).first()
        if village is None:
            raise serializers.ValidationError(
                _("Unknown village: send the name of one of the municipality's villages."), code="unknown"
            )
        return village

    def validate_consent(self, value) -> str:
        return CONSENT_ANSWERS[value or ""]


class IntakeMetadataSerializer(serializers.Serializer):
    """Open Formulieren's metadata: only the public reference is kept (shown on the case file,
    so the team can match a resident's confirmation e-mail); the rest is ignored."""

    public_reference = OptionalText(max_length=50, help_text="The submission's reference, e.g. OF-K2A3B4.")


class IntakeSerializer(StrictSerializer):
    values = IntakeValuesSerializer()
    values_schema = serializers.DictField(required=False, help_text="Ignored (Open Formulieren's JSON schema).")
    metadata = IntakeMetadataSerializer(required=False)
    metadata_schema = serializers.DictField(required=False, help_text="Ignored.")

    def validate(self, attrs):
        codes = attrs["values"]["lifeDomains"]
        attrs["domains"] = list(LifeDomain.objects.filter(code__in=codes))
        attrs["form_reference"] = (attrs.get("metadata") or {}).get("public_reference", "")
        return attrs


class IntakeCreatedSerializer(serializers.Serializer):
    """The answer to a registration: where to find it and how the team refers to it; never the
    resident's data, nor whether the resident was known."""

    id = serializers.IntegerField(help_text="The case's number.")
    reference = serializers.CharField(help_text='The team\'s reference to the case ("#123").')
    url = serializers.URLField(help_text="This registration in the API (also the Location header).")
