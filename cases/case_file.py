"""The case file's own records, declared in the registry (``cases.records``): each with its
personal-data fields and what erasure does to them. Records of apps above ``cases`` are
declared from their own ``AppConfig.ready`` (referrals, GDPR requests)."""

from . import models as m
from .records import Erasure, not_a_record, register


def register_case_records() -> None:
    """The records of ``cases`` (called from ``CasesConfig.ready``)."""
    register(
        m.Resident,
        resident_path="",
        purpose="identify and reach the person asking for help",
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
        purpose="the request for help and how it was handled",
        personal={
            "request_for_help": Erasure.REPLACE,
            "volunteer_summary": Erasure.REPLACE,
            "closing_note": Erasure.REPLACE,
        },
        audit_m2m=("domains", "topics"),
        audit_exclude=("version", "last_activity_at"),
    )
    register(
        m.CaseMembership, case_path="case", purpose="who works on the case and who is responsible (R9)", personal={}
    )
    register(
        m.VolunteerConsent,
        case_path="case",
        purpose="the resident's answer to 'may a volunteer join?' (R6)",
        personal={"note": Erasure.CLEAR},
    )
    register(m.JournalEntry, case_path="case", purpose="the case's journal", personal={"text": Erasure.REPLACE})
    register(
        m.HomeVisit,
        case_path="case",
        purpose="home visits by volunteer staff and professionals (R9)",
        personal={"summary": Erasure.REPLACE, "note_for_responsible": Erasure.REPLACE},
    )
    register(
        m.Agreement,
        case_path="case",
        purpose="who does what by when (R10)",
        personal={"description": Erasure.REPLACE},
    )
    register(
        m.CaseInterest,
        case_path="case",
        purpose="volunteer staff's answers on the open-questions board (R5, R7)",
        personal={"note": Erasure.CLEAR},
    )
    register(
        m.MeetingDecision,
        case_path="case",
        purpose="the weekly meeting's decisions (R4)",
        personal={"next_step": Erasure.REPLACE, "notes": Erasure.CLEAR},
    )
    register(
        m.Alarm,
        case_path="case",
        purpose="volunteer staff raising the alarm about a case (R11)",
        personal={"note": Erasure.CLEAR},
    )
    not_a_record(m.CaseUserObjectPermission, because="grants derived from the facts; no personal data")
    not_a_record(m.CaseGroupObjectPermission, because="grants derived from the facts; no personal data")
