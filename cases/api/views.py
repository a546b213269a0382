"""The intake API's views: thin, as the pages are — check the input, call the one intake
service (``intake_register_by_client``), answer. Token authentication only (no session, no
CSRF), JSON in and out, errors as problem+json (``base.api``)."""

from __future__ import annotations

import hashlib
import json
import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_clients import ApiClientAuthentication, IsApiClient
from base.api import PROBLEM_JSON, ApiClientRateThrottle, IdempotencyKeyReused, JSONParser
from base.chain import sealed_before_commit
from base.policy import parse_id
from base.submissions import Answer, KeyReused, answer_once

from .. import services
from ..constants import IntakeChannel
from ..models import Case
from .serializers import IntakeCreatedSerializer, IntakeSerializer

# A form's public reference names one submission: without an Idempotency-Key header (Open
# Formulieren sends none) it is the key, so a registration Open Formulieren retries records once.
REFERENCE_KEYS = uuid.UUID("9b5f3c1e-7d0a-4c55-9a57-2f0d6b3f4e21")

# Where the service's own checks land in the payload (its ValidationError names model fields).
PAYLOAD_NAMES = {
    "first_name": "values.firstName",
    "last_name": "values.lastName",
    "date_of_birth": "values.dateOfBirth",
    "street": "values.street",
    "house_number": "values.houseNumber",
    "postcode": "values.postcode",
    "village": "values.village",
    "phone": "values.phone",
    "email": "values.email",
    "request_for_help": "values.requestForHelp",
    "domains": "values.lifeDomains",
    "consent_answer": "values.consent",
    "form_reference": "metadata.public_reference",
}


class ApiClientScheme(OpenApiAuthenticationExtension):
    """The OpenAPI document's security scheme for :class:`ApiClientAuthentication`."""

    target_class = "accounts.api_clients.ApiClientAuthentication"
    name = "apiClientToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "The API client's token, made by the functional administrator: "
            "`Authorization: Bearer <token>` (or `Authorization: Token <token>`).",
        }


PROBLEM = inline_serializer(
    name="Problem",
    fields={
        "type": serializers.CharField(help_text='"about:blank", or a URN naming the kind of problem.'),
        "title": serializers.CharField(),
        "status": serializers.IntegerField(),
        "detail": serializers.CharField(),
        "instance": serializers.CharField(help_text="The path of the request."),
    },
)
VALIDATION_PROBLEM = inline_serializer(
    name="ValidationProblem",
    fields={
        **PROBLEM.fields,
        "invalid-params": inline_serializer(
            name="InvalidParam",
            fields={
                "name": serializers.CharField(help_text="The field, as a dotted path: values.firstName."),
                "code": serializers.CharField(help_text="required, blank, max_length, invalid, unknown, …"),
                "reason": serializers.CharField(),
            },
            many=True,
        ),
    },
)


def _problems(*statuses: int) -> dict:
    return {(code, PROBLEM_JSON): OpenApiResponse(VALIDATION_PROBLEM if code == 400 else PROBLEM) for code in statuses}


def _idempotency_key(request) -> uuid.UUID | None:
    sent = request.headers.get("Idempotency-Key")
    if sent is None:
        return None
    try:
        return uuid.UUID(sent.strip()[:64])
    except ValueError:
        raise serializers.ValidationError(
            {"Idempotency-Key": [serializers.ErrorDetail(str(_("Send a UUID as the Idempotency-Key.")), "invalid")]}
        ) from None


def _fingerprint(request, form_reference: str) -> str:
    """What the request asks for: its values and the form's reference. The schemas and other
    metadata (Open Formulieren's registration timestamp changes on a retry) do not count."""
    sent = {"values": request.data.get("values"), "reference": form_reference}
    return hashlib.sha256(json.dumps(sent, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _created(request, case: Case) -> Answer:
    url = request.build_absolute_uri(reverse("api:intake", args=[case.pk]))
    return Answer(
        status=status.HTTP_201_CREATED, url=url, body={"id": case.pk, "reference": case.reference, "url": url}
    )


def _service_error(error: DjangoValidationError) -> serializers.ValidationError:
    if hasattr(error, "error_dict"):
        detail = {
            PAYLOAD_NAMES.get(field, "body"): [serializers.ErrorDetail(message, "invalid") for message in messages]
            for field, messages in error.message_dict.items()
        }
    else:
        detail = {"body": [serializers.ErrorDetail(message, "invalid") for message in error.messages]}
    return serializers.ValidationError(detail)


class ApiView(APIView):
    """Token only, JSON only, rate-limited per client."""

    authentication_classes = [ApiClientAuthentication]
    permission_classes = [IsApiClient]
    throttle_classes = [ApiClientRateThrottle]
    parser_classes = [JSONParser]


class IntakeListView(ApiView):
    @extend_schema(
        operation_id="intake_create",
        summary="Register a request for help",
        description=(
            "Registers a new resident and their request for help, as Open Formulieren's generic JSON "
            "registration sends it. The case lands in the team of the resident's village, channel "
            '"online form", status new: on the next weekly meeting\'s agenda. A resident who may be '
            "registered already is not refused: the case is marked for the professionals to check. "
            "The answer holds no resident data.\n\n"
            "Idempotent by the `Idempotency-Key` header (a UUID) or, without it, by "
            "`metadata.public_reference`: a repeat with the same values answers as the first did and "
            "records nothing; the same key with other values is a 422. Keys are kept for two days."
        ),
        request=IntakeSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.UUID,
                OpenApiParameter.HEADER,
                required=False,
                description="A new UUID per request for help; repeat it when retrying the same request.",
            )
        ],
        responses={
            201: OpenApiResponse(IntakeCreatedSerializer, description="Registered (or a repeat of one)."),
            **_problems(400, 401, 403, 413, 415, 422, 429),
        },
        examples=[
            OpenApiExample(
                "Open Formulieren",
                request_only=True,
                value={
                    "values": {
                        "firstName": "Grietje",
                        "lastName": "de Vries",
                        "dateOfBirth": "1948-03-02",
                        "street": "Kerkstraat",
                        "houseNumber": "12",
                        "postcode": "6661 AB",
                        "village": "Elst",
                        "phone": "0612345678",
                        "email": "",
                        "requestForHelp": "Ik kom niet rond en de post stapelt zich op.",
                        "lifeDomains": {"money": True, "housing": False},
                        "consent": "yes",
                    },
                    "values_schema": {},
                    "metadata": {"public_reference": "OF-K2A3B4", "form_name": "Hulpvraag"},
                    "metadata_schema": {},
                },
            )
        ],
    )
    def post(self, request):
        key = _idempotency_key(request)
        serializer = IntakeSerializer(data=request.data, context={"client": request.auth})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        values = data["values"]
        if key is None and data["form_reference"]:
            key = uuid.uuid5(REFERENCE_KEYS, data["form_reference"])

        def record() -> Answer:
            try:
                case = services.intake_register_by_client(
                    client=request.auth,
                    resident_fields={
                        "first_name": values["firstName"],
                        "last_name": values["lastName"],
                        "date_of_birth": values["dateOfBirth"],
                        "street": values["street"],
                        "house_number": values["houseNumber"],
                        "postcode": values["postcode"],
                        "village": values["village"],
                        "phone": values["phone"],
                        "email": values["email"],
                    },
                    domains=data["domains"],
                    request_for_help=values["requestForHelp"],
                    consent_answer=values["consent"],
                    form_reference=data["form_reference"],
                )
            except DjangoValidationError as error:
                raise _service_error(error) from None
            return _created(request, case)

        if key is None:  # no key and no reference: recorded as it comes
            with transaction.atomic(), sealed_before_commit():
                answer = record()
        else:
            try:
                answer, _repeat = answer_once(
                    user=request.user, key=key, fingerprint=_fingerprint(request, data["form_reference"]), record=record
                )
            except KeyReused:
                raise IdempotencyKeyReused from None
        return Response(answer.body, status=answer.status, headers={"Location": answer.url})


class IntakeDetailView(ApiView):
    @extend_schema(
        operation_id="intake_read",
        summary="A registration made by this client",
        description="The reference of a case this client registered; 404 for any other. No resident data.",
        responses={200: IntakeCreatedSerializer, **_problems(401, 403, 404, 429)},
    )
    def get(self, request, pk: int):
        number = parse_id(pk)
        case = (
            Case.objects.filter(pk=number, created_by=request.user, intake_channel=IntakeChannel.ONLINE_FORM)
            .only("pk")
            .first()
            if number is not None
            else None
        )
        if case is None:
            raise NotFound
        return Response(_created(request, case).body)
