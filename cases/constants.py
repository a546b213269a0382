"""Choices and the case workflow: one explicit transition table, checked by the services."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_TRIAGE = "in_triage", _("In triage")
    ACTIVE = "active", _("Active")
    ON_HOLD = "on_hold", _("On hold")
    CLOSED = "closed", _("Closed")


# status -> statuses it may move to. Reopening is closed -> active.
TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.NEW: frozenset({CaseStatus.IN_TRIAGE, CaseStatus.CLOSED}),
    CaseStatus.IN_TRIAGE: frozenset({CaseStatus.ACTIVE, CaseStatus.CLOSED}),
    CaseStatus.ACTIVE: frozenset({CaseStatus.ON_HOLD, CaseStatus.CLOSED}),
    CaseStatus.ON_HOLD: frozenset({CaseStatus.ACTIVE, CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset({CaseStatus.ACTIVE}),
}

# Statuses in which a case must have exactly one responsible professional (R9).
NEEDS_RESPONSIBLE = frozenset({CaseStatus.ACTIVE, CaseStatus.ON_HOLD})


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


class IntakeChannel(models.TextChoices):
    """How a request for help reached the team (R3)."""

    WALK_IN = "walk_in", _("Walk-in hour")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    VOLUNTEER_SIGNAL = "volunteer_signal", _("Signal from volunteer staff")
    KEY_FIGURE = "key_figure", _("Signal from a key figure")
    FRONT_OFFICE = "front_office", _("Front office host")
    PARTNER_REFERRAL = "partner_referral", _("Referral by a partner")
    ONLINE_FORM = "online_form", _("Online form")  # the intake API (Open Formulieren)


class Urgency(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    CRISIS = "crisis", _("Crisis")


class MembershipRole(models.TextChoices):
    RESPONSIBLE = "responsible", _("Responsible professional")
    PROFESSIONAL = "professional", _("Professional")
    VOLUNTEER = "volunteer", _("Volunteer staff")


class ConsentAnswer(models.TextChoices):
    """The resident's answer to: may a volunteer join? (R6)"""

    NOT_ASKED = "not_asked", _("Not asked yet")
    YES = "yes", _("Yes")
    NO = "no", _("No")


class JournalVisibility(models.TextChoices):
    PROFESSIONALS = "professionals", _("Professionals only")
    SHARED = "shared", _("Shared with the case's volunteer staff")


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("Question answered")
    REFERRED = "referred", _("Referred to another organisation")
    PROVISION = "provision", _("Provision granted by the municipality")
    WITHDRAWN = "withdrawn", _("Withdrawn by the resident")
    NO_CONTACT = "no_contact", _("No contact possible")
    OTHER = "other", _("Other")


class VisitCompany(models.TextChoices):
    ALONE = "alone", _("Alone")
    WITH_PROFESSIONAL = "with_professional", _("With a professional")


class VisitActivity(models.TextChoices):
    CONVERSATION = "conversation", _("Conversation")
    ADMINISTRATION = "administration", _("Help with administration")
    ACCOMPANYING = "accompanying", _("Accompanying to an activity")
    REFERRAL = "referral", _("Referral to a local offer")
    OTHER = "other", _("Other")


class AgreementKind(models.TextChoices):
    """Kinds of agreement; care and medical kinds are never for volunteer staff (R10)."""

    ADMINISTRATION = "administration", _("Administration")
    ACTIVITY = "activity", _("Finding an activity")
    SOCIAL = "social", _("Social contact")
    PRACTICAL = "practical", _("Practical help")
    REFERRAL = "referral", _("Referral")
    CARE = "care", _("Care")
    MEDICAL = "medical", _("Medical procedure")


PROFESSIONAL_ONLY_AGREEMENT_KINDS = frozenset({AgreementKind.CARE, AgreementKind.MEDICAL})


class LifeDomainCode(models.TextChoices):
    """Every team takes all questions on these five life domains (R2)."""

    HEALTH = "health", _("Health")
    PARENTING = "parenting", _("Parenting")
    MONEY = "money", _("Money")
    HOUSING = "housing", _("Housing")
    PARTICIPATION = "participation", _("Participation")


class TopicCode(models.TextChoices):
    """Frequent topics (R2), each under one life domain (see ``TOPIC_DOMAINS``)."""

    LONELINESS = "loneliness", _("Loneliness")
    FINANCES = "finances", _("Finances")
    DEBTS = "debts", _("Debts")
    INFORMAL_CARE = "informal_care", _("Informal care")
    HOUSING = "housing", _("Housing")
    DIVORCE = "divorce", _("Divorce")
    FOOD_BANK = "food_bank", _("Food bank")
    PARENTING_SUPPORT = "parenting_support", _("Parenting support")
    MOBILITY = "mobility", _("Mobility")
    DAYTIME_ACTIVITIES = "daytime_activities", _("Daytime activities")
    WORK_AND_INCOME = "work_and_income", _("Work and income")


TOPIC_DOMAINS = {
    TopicCode.LONELINESS: LifeDomainCode.PARTICIPATION,
    TopicCode.FINANCES: LifeDomainCode.MONEY,
    TopicCode.DEBTS: LifeDomainCode.MONEY,
    TopicCode.INFORMAL_CARE: LifeDomainCode.HEALTH,
    TopicCode.HOUSING: LifeDomainCode.HOUSING,
    TopicCode.DIVORCE: LifeDomainCode.PARENTING,
    TopicCode.FOOD_BANK: LifeDomainCode.MONEY,
    TopicCode.PARENTING_SUPPORT: LifeDomainCode.PARENTING,
    TopicCode.MOBILITY: LifeDomainCode.HEALTH,
    TopicCode.DAYTIME_ACTIVITIES: LifeDomainCode.PARTICIPATION,
    TopicCode.WORK_AND_INCOME: LifeDomainCode.PARTICIPATION,
}
