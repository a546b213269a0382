"""The case file's own records, declared in the registry (``cases.records``): each with its
personal-data fields and what erasure does to them. Records of apps above ``cases`` are
declared from their own ``AppConfig.ready`` (referrals, GDPR requests)."""

from django.utils.translation import gettext_lazy as _

from . import models as m
from .constants import VisitActivity
from .records import CONSENT, KEPT_WITH_CASE, PUBLIC_TASK, Erasure, not_a_record, register


def register_case_records() -> None:
    """The records of ``cases`` (called from ``CasesConfig.ready``)."""
    register(
        m.Resident,
        resident_path="",
        purpose=_("identify and reach the person asking for help"),
        title=_("Your details"),
        description=_("Who you are and how we can reach you."),
        legal_basis=PUBLIC_TASK,
        retention=_(
            "Kept as long as one of your requests for help is kept. Then your name, address and "
            "contact details are erased."
        ),
        personal={
            "first_name": Erasure.REPLACE,
            "last_name": Erasure.CLEAR,
            "date_of_birth": Erasure.CLEAR,
            "street": Erasure.CLEAR,
            "house_number": Erasure.CLEAR,
            "postcode": Erasure.CLEAR,
            "phone": Erasure.CLEAR,
            "email": Erasure.CLEAR,
            "notes": Erasure.CLEAR,
            "restriction_reason": Erasure.CLEAR,
            "objection_note": Erasure.CLEAR,
            "village": Erasure.KEEP,
        },
        kept_because="the village decides which team served the resident (R1) and counts in the reports; "
        "without name and address it points at no one",
    )
    register(
        m.Case,
        case_path="",
        purpose=_("the request for help and how it was handled"),
        title=_("Your requests for help"),
        description=_("What you asked help with, which team helped you, and how it ended."),
        legal_basis=PUBLIC_TASK,
        retention=_(
            "Kept while the request for help is open. After it is closed, until the date under "
            '"keep until" (the retention period the law sets); then it is erased.'
        ),
        personal={
            "request_for_help": Erasure.REPLACE,
            "volunteer_summary": Erasure.REPLACE,
            "closing_note": Erasure.REPLACE,
            "form_reference": Erasure.CLEAR,
        },
        audit_m2m=("domains", "topics"),
        audit_exclude=("version", "last_activity_at"),
    )
    register(
        m.CaseMembership,
        case_path="case",
        purpose=_("who works on the case and who is responsible"),
        title=_("Who helps you"),
        description=_("The professionals and volunteer staff who work on your request, and since when."),
        legal_basis=PUBLIC_TASK,
        retention=KEPT_WITH_CASE,
        personal={},
    )
    register(
        m.VolunteerConsent,
        case_path="case",
        purpose=_("the resident's answer to 'may a volunteer join?'"),
        title=_("Your consent for volunteer staff"),
        description=_("Whether you agreed that volunteer staff help you, and when you said so."),
        legal_basis=CONSENT,
        retention=KEPT_WITH_CASE,
        personal={"note": Erasure.CLEAR},
    )
    register(
        m.JournalEntry,
        case_path="case",
        purpose=_("the case's journal"),
        title=_("Notes in your file"),
        description=_("What the professionals wrote down about your request for help."),
        legal_basis=PUBLIC_TASK,
        retention=KEPT_WITH_CASE,
        personal={"text": Erasure.REPLACE},
    )
    register(
        m.HomeVisit,
        case_path="case",
        purpose=_("home visits by volunteer staff and professionals"),
        title=_("Home visits"),
        description=_("Visits to your home: who came, when, and what was done."),
        legal_basis=PUBLIC_TASK,
        retention=KEPT_WITH_CASE,
        choice_lists={"activities": VisitActivity},
        personal={"summary": Erasure.REPLACE, "note_for_responsible": Erasure.REPLACE},
    )
    register(
        m.Agreement,
        case_path="case",
        purpose=_("who does what by when"),
        title=_("Agreements"),
        description=_("What was agreed, who does it, and by when."),
        legal_basis=PUBLIC_TASK,
        retention=KEPT_WITH_CASE,
        personal={"description": Erasure.REPLACE},
    )
    register(
        m.CaseInterest,
        case_path="case",
        purpose=_("volunteer staff's answers on the open-questions board"),
        title=_("Volunteer staff who were asked"),
        description=_(
            "Volunteer staff read a short summary of your request, without your name or address, "
            "and said whether they could help. Volunteer staff the team proposed saw your name and "
            "street first, and could say no when they know you."
        ),
        legal_basis=PUBLIC_TASK,
        retention=KEPT_WITH_CASE,
        personal={"note": Erasure.CLEAR},
    )
    register(
        m.MeetingDecision,
        case_path="case",
        purpose=_("the weekly meeting's decisions"),
        title=_("Decisions of the team meeting"),
        description=_("What the team decided about your request in its weekly meeting."),
        legal_basis=PUBLIC_TASK,
        retention=KEPT_WITH_CASE,
        choice_lists={"reasons": m.AgendaReason},
        personal={"next_step": Erasure.REPLACE, "notes": Erasure.CLEAR},
    )
    register(
        m.Alarm,
        case_path="case",
        purpose=_("volunteer staff raising the alarm about a case"),
        title=_("Alarms"),
        description=_("When volunteer staff were worried about you and warned a professional."),
        legal_basis=PUBLIC_TASK,
        retention=KEPT_WITH_CASE,
        personal={"note": Erasure.CLEAR},
    )
    register(
        m.VisitNote,
        case_path="case",
        purpose=_("home visits volunteer staff could no longer log, for a professional to decide on"),
        title=_("Visits that could not be added"),
        description=_(
            "A home visit that volunteer staff wrote down on their phone when their work on your request had "
            "just ended. It went to a professional, not into your file; the professional added it as a visit "
            "or deleted its text."
        ),
        legal_basis=PUBLIC_TASK,
        retention=KEPT_WITH_CASE,
        choice_lists={"activities": VisitActivity},
        personal={"summary": Erasure.REPLACE, "note_for_responsible": Erasure.REPLACE},
        # Set aside, its text is deleted: the audit log keeps who sent and decided, not the text.
        audit_exclude=("summary", "note_for_responsible"),
    )
    not_a_record(m.CaseUserObjectPermission, because="grants derived from the facts; no personal data")
    not_a_record(m.CaseGroupObjectPermission, because="grants derived from the facts; no personal data")
