"""Reads of the case file, always scoped by :mod:`cases.permissions` and :mod:`cases.policies`.

A record outside the reader's scope raises ``Http404``, exactly like one that does not exist;
reads of a file or a slice write an access entry. Split along its seams:

* ``files``      the team's cases and one case file (professionals);
* ``residents``  finding residents, likely duplicates, and whether another team knows one;
* ``lists``      the team case list with filters and keyset pages;
* ``meeting``    the weekly meeting's agenda;
* ``volunteer``  proposals, slices and the open-questions board (volunteer staff);
* ``week``       My week: follow-up appointments and agreements due (home page, reminders).
"""

from .files import (
    CaseFile,
    assignable_volunteers,
    case_file,
    case_history,
    case_people,
    team_cases,
)
from .lists import SORTS, CasePage, team_case_list
from .meeting import (
    AGENDA_PAGE_SIZE,
    AgendaItem,
    AgendaPage,
    current_meeting_team,
    decided_item,
    meeting_agenda,
    meeting_agenda_for_team,
    meeting_case,
    responsible_of,
)
from .residents import (
    KnownContact,
    KnownElsewhere,
    LikelyDuplicate,
    known_elsewhere,
    matching_residents,
    resident_duplicates,
    resident_matches,
    resident_search,
    residents_for,
)
from .volunteer import (
    OpenQuestion,
    open_proposal_count,
    open_questions,
    volunteer_case,
    volunteer_cases,
    volunteer_proposal,
    volunteer_proposals,
)
from .week import CaseWeek, case_week, people_with_work_on

__all__ = [
    "AGENDA_PAGE_SIZE",
    "SORTS",
    "AgendaItem",
    "AgendaPage",
    "CaseFile",
    "CasePage",
    "CaseWeek",
    "KnownContact",
    "KnownElsewhere",
    "LikelyDuplicate",
    "OpenQuestion",
    "assignable_volunteers",
    "case_file",
    "case_history",
    "case_people",
    "case_week",
    "current_meeting_team",
    "decided_item",
    "known_elsewhere",
    "matching_residents",
    "meeting_agenda",
    "meeting_agenda_for_team",
    "meeting_case",
    "open_proposal_count",
    "open_questions",
    "people_with_work_on",
    "resident_duplicates",
    "resident_matches",
    "resident_search",
    "residents_for",
    "responsible_of",
    "team_case_list",
    "team_cases",
    "volunteer_case",
    "volunteer_cases",
    "volunteer_proposal",
    "volunteer_proposals",
]
