"""The authorisation table: every URL pattern x HTTP method (GET and POST) x role -> the answer.

Guard tests walk the URL resolver and fail when a pattern, named or not, lacks a GET or a POST
row, so a new page (or a new way to call one) cannot ship without its expected answers.

404 means "you may not know this exists". 302 for anonymous users is the redirect to the login
page (the target is checked too). 405 means the role passed the role check and the view does
not take that method: a POST-only view answers 405 to a GET before it loads any object, so
405 tells someone of the right role nothing about an object they may not see. Read-only pages
take GET only (``require_safe``, under the role check), so a POST to them changes nothing and
answers 405.

POSTs carry an empty body (a language for ``set_language``): for a role that may act, 200 then
means "the form again, with its errors", 302 "done, or sent back with a message".

Rows where the application answers wrongly today keep the *correct* answer in the table and are
listed in ``DEFECTS``: those cases run as strict xfails, so they turn red once fixed (then drop
the entry) and the table never records a defect as the expected answer.

The world (one case with everything hanging off it) is built once for this module, inside a
transaction that is rolled back at the end; every test runs in its own savepoint inside it, so
what a POST changes is undone before the next test.
"""

import datetime
import functools
import re
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import (
    PASSWORD,
    CaseFactory,
    ResidentFactory,
    make_administrator,
    make_coordinator,
    make_privacy_officer,
    make_professional,
)

ROLES = [
    "anonymous",
    "professional",  # responsible professional of the case, in its team
    "other_team_professional",  # a professional of another team of the same municipality
    "volunteer",  # volunteer staff assigned to the case (consent given, VOG valid)
    "coordinator",  # coordinator of the case's team (no other role)
    "administrator",  # functional administrator (no other role)
    "privacy_officer",  # privacy officer of the case's municipality (no other role)
]
METHODS = ("GET", "POST")

# Django's own admin is covered by its own permission checks (and [6]); not in this table.
OUTSIDE_TABLE_NAMESPACES = {"admin"}

# (url name, or the full route of an unnamed pattern), method, expected status per role in the
# order of ROLES.
TABLE: list[tuple[str, str, tuple[int, ...]]] = [
    #                                          anon prof other  vol coord admin privacy
    # --- project level ------------------------------------------------------------------------
    ("home",                          "GET",  (302, 200, 200, 200, 200, 200, 200)),
    ("home",                          "POST", (302, 405, 405, 405, 405, 405, 405)),  # read-only: GET only
    ("reports",                       "GET",  (302, 200, 200, 404, 200, 404, 404)),
    ("reports",                       "POST", (302, 405, 405, 405, 405, 405, 405)),  # read-only: GET only
    ("my_calendar",                   "GET",  (302, 200, 200, 200, 200, 200, 200)),
    ("my_calendar",                   "POST", (302, 302, 302, 302, 302, 302, 302)),  # makes my feed address
    # The feed authenticates by its secret token (calendar apps cannot log in): no login.
    ("calendar_feed",                 "GET",  (200, 200, 200, 200, 200, 200, 200)),
    ("calendar_feed",                 "POST", (405, 405, 405, 405, 405, 405, 405)),  # read-only: GET only
    # Django's set_language: a GET changes nothing and goes back; both go to "/" here.
    ("set_language",                  "GET",  (302, 302, 302, 302, 302, 302, 302)),
    ("set_language",                  "POST", (302, 302, 302, 302, 302, 302, 302)),
    # The municipality's theme stylesheet: public (the login page wears it too), the same for all.
    ("theme_css",                     "GET",  (200, 200, 200, 200, 200, 200, 200)),
    ("theme_css",                     "POST", (405, 405, 405, 405, 405, 405, 405)),  # read-only: GET only
    # The installable app (wijkteam/pwa.py): the service worker, the manifest and the offline page
    # are public and the same for everyone (no personal data), like the theme's stylesheet.
    ("service_worker",                "GET",  (200, 200, 200, 200, 200, 200, 200)),
    ("service_worker",                "POST", (405, 405, 405, 405, 405, 405, 405)),  # read-only: GET only
    ("web_manifest",                  "GET",  (200, 200, 200, 200, 200, 200, 200)),
    ("web_manifest",                  "POST", (405, 405, 405, 405, 405, 405, 405)),  # read-only: GET only
    ("offline",                       "GET",  (200, 200, 200, 200, 200, 200, 200)),
    ("offline",                       "POST", (405, 405, 405, 405, 405, 405, 405)),  # read-only: GET only
    # --- accounts -----------------------------------------------------------------------------
    # Logged-in users are sent on (redirect_authenticated_user); an empty login form is re-shown.
    ("accounts:login",                "GET",  (200, 302, 302, 302, 302, 302, 302)),
    ("accounts:login",                "POST", (200, 302, 302, 302, 302, 302, 302)),
    # Django 5's LogoutView takes POST only, for everyone.
    ("accounts:logout",               "GET",  (405, 405, 405, 405, 405, 405, 405)),
    ("accounts:logout",               "POST", (302, 302, 302, 302, 302, 302, 302)),
    # single sign-on: no identity provider is configured here (tests/accounts/test_sso.py has one)
    ("accounts:sso_start",            "GET",  (404, 404, 404, 404, 404, 404, 404)),
    ("accounts:sso_start",            "POST", (404, 404, 404, 404, 404, 404, 404)),
    ("accounts:sso_callback",         "GET",  (404, 404, 404, 404, 404, 404, 404)),
    ("accounts:sso_callback",         "POST", (404, 404, 404, 404, 404, 404, 404)),
    ("accounts:sso_refused",          "GET",  (404, 404, 404, 404, 404, 404, 404)),
    ("accounts:sso_refused",          "POST", (405, 405, 405, 405, 405, 405, 405)),
    # Verified already / a device set up already: both send the user on.
    ("accounts:mfa_verify",           "GET",  (302, 302, 302, 302, 302, 302, 302)),
    ("accounts:mfa_verify",           "POST", (302, 302, 302, 302, 302, 302, 302)),
    ("accounts:mfa_setup",            "GET",  (302, 302, 302, 302, 302, 302, 302)),
    ("accounts:mfa_setup",            "POST", (302, 302, 302, 302, 302, 302, 302)),
    # Your second step: everyone's own authenticator app and passkeys (accounts/views_passkeys.py).
    ("accounts:second_step",          "GET",  (302, 200, 200, 200, 200, 200, 200)),
    ("accounts:second_step",          "POST", (302, 405, 405, 405, 405, 405, 405)),  # read-only: GET only
    ("accounts:passkey_add",          "GET",  (302, 200, 200, 200, 200, 200, 200)),
    ("accounts:passkey_add",          "POST", (302, 200, 200, 200, 200, 200, 200)),  # no name: the form again
    # The page that makes the passkey needs a name first: without one, back to naming it.
    ("accounts:passkey_create",       "GET",  (302, 302, 302, 302, 302, 302, 302)),
    ("accounts:passkey_create",       "POST", (302, 405, 405, 405, 405, 405, 405)),  # read-only: GET only
    # The professional's own passkey: anyone else's is absent.
    ("accounts:passkey_remove",       "GET",  (302, 200, 404, 404, 404, 404, 404)),
    ("accounts:passkey_remove",       "POST", (302, 302, 404, 404, 404, 404, 404)),
    # django-otp-webauthn's JSON endpoints (the passkey pages' script calls them): no login is
    # 403 in JSON (not authenticated; passwordless login is off), a GET 405; an empty POST to
    # "complete" without a ceremony begun is 400. Registration needs a verified session
    # (MFARequiredMiddleware, accounts.passkeys.PasskeyHelper), verification only the password.
    ("otp_webauthn:credential-registration-begin",       "GET",  (403, 405, 405, 405, 405, 405, 405)),
    ("otp_webauthn:credential-registration-begin",       "POST", (403, 200, 200, 200, 200, 200, 200)),
    ("otp_webauthn:credential-registration-complete",    "GET",  (403, 405, 405, 405, 405, 405, 405)),
    ("otp_webauthn:credential-registration-complete",    "POST", (403, 400, 400, 400, 400, 400, 400)),
    ("otp_webauthn:credential-authentication-begin",     "GET",  (403, 405, 405, 405, 405, 405, 405)),
    ("otp_webauthn:credential-authentication-begin",     "POST", (403, 200, 200, 200, 200, 200, 200)),
    ("otp_webauthn:credential-authentication-complete",  "GET",  (403, 405, 405, 405, 405, 405, 405)),
    ("otp_webauthn:credential-authentication-complete",  "POST", (403, 400, 400, 400, 400, 400, 400)),
    # Its scripts' texts (Django's JavaScript catalogue): public, like a static file.
    ("otp_webauthn:js-i18n-catalog",  "GET",  (200, 200, 200, 200, 200, 200, 200)),
    ("otp_webauthn:js-i18n-catalog",  "POST", (405, 405, 405, 405, 405, 405, 405)),
    # --- cases (professional_required: other roles 404 before anything else) -----------------
    ("cases:list",                    "GET",  (302, 200, 200, 404, 404, 404, 404)),
    ("cases:list",                    "POST", (302, 405, 405, 404, 404, 404, 404)),  # read-only: GET only
    ("cases:intake",                  "GET",  (302, 200, 200, 404, 404, 404, 404)),
    ("cases:intake",                  "POST", (302, 200, 200, 404, 404, 404, 404)),
    ("cases:resident_search",         "GET",  (302, 200, 200, 404, 404, 404, 404)),
    ("cases:resident_search",         "POST", (302, 405, 405, 404, 404, 404, 404)),  # read-only fragment
    # "That, not what": any professional may learn that another team knows a resident (logged).
    ("cases:existence_lookup",        "GET",  (302, 200, 200, 404, 404, 404, 404)),
    ("cases:existence_lookup",        "POST", (302, 405, 405, 404, 404, 404, 404)),  # read-only: GET only
    ("cases:detail",                  "GET",  (302, 200, 404, 404, 404, 404, 404)),
    ("cases:detail",                  "POST", (302, 405, 405, 404, 404, 404, 404)),  # read-only: GET only
    # The history, folded away on the file, loads when opened: who may read the file reads it.
    ("cases:history",                 "GET",  (302, 200, 404, 404, 404, 404, 404)),
    ("cases:history",                 "POST", (302, 405, 405, 404, 404, 404, 404)),  # read-only: GET only
    ("cases:edit",                    "GET",  (302, 200, 404, 404, 404, 404, 404)),
    ("cases:edit",                    "POST", (302, 200, 404, 404, 404, 404, 404)),
    ("cases:resident_edit",           "GET",  (302, 200, 404, 404, 404, 404, 404)),
    ("cases:resident_edit",           "POST", (302, 200, 404, 404, 404, 404, 404)),
    # The action forms of the case file whose pickers are queries load when opened (a GET: the
    # form alone for htmx, a page of its own without JavaScript); what you may not do is a 404.
    ("cases:agreement_add",           "GET",  (302, 200, 404, 404, 404, 404, 404)),
    ("cases:agreement_add",           "POST", (302, 302, 404, 404, 404, 404, 404)),
    ("cases:people_forms",            "GET",  (302, 200, 404, 404, 404, 404, 404)),
    ("cases:people_forms",            "POST", (302, 405, 405, 404, 404, 404, 404)),  # read-only: GET only
    # POST-only actions: a professional of any team hears 405 to a GET (before the case loads).
    ("cases:journal_add",             "GET",  (302, 405, 405, 404, 404, 404, 404)),
    ("cases:journal_add",             "POST", (302, 302, 404, 404, 404, 404, 404)),
    ("cases:agreement_done",          "GET",  (302, 405, 405, 404, 404, 404, 404)),
    ("cases:agreement_done",          "POST", (302, 302, 404, 404, 404, 404, 404)),
    ("cases:consent_record",          "GET",  (302, 405, 405, 404, 404, 404, 404)),
    ("cases:consent_record",          "POST", (302, 302, 404, 404, 404, 404, 404)),
    ("cases:consent_withdraw",        "GET",  (302, 405, 405, 404, 404, 404, 404)),
    ("cases:consent_withdraw",        "POST", (302, 302, 404, 404, 404, 404, 404)),
    ("cases:people",                  "GET",  (302, 405, 405, 404, 404, 404, 404)),
    ("cases:people",                  "POST", (302, 302, 404, 404, 404, 404, 404)),
    ("cases:membership_end",          "GET",  (302, 405, 405, 404, 404, 404, 404)),
    ("cases:membership_end",          "POST", (302, 302, 404, 404, 404, 404, 404)),
    ("cases:status",                  "GET",  (302, 405, 405, 404, 404, 404, 404)),
    ("cases:status",                  "POST", (302, 302, 404, 404, 404, 404, 404)),
    ("cases:transfer",                "GET",  (302, 200, 404, 404, 404, 404, 404)),
    ("cases:transfer",                "POST", (302, 200, 404, 404, 404, 404, 404)),
    ("cases:close",                   "GET",  (302, 200, 404, 404, 404, 404, 404)),
    ("cases:close",                   "POST", (302, 200, 404, 404, 404, 404, 404)),
    ("cases:reopen",                  "GET",  (302, 405, 405, 404, 404, 404, 404)),
    ("cases:reopen",                  "POST", (302, 302, 404, 404, 404, 404, 404)),  # on the closed case
    ("cases:alarm_resolve",           "GET",  (302, 405, 405, 404, 404, 404, 404)),
    ("cases:alarm_resolve",           "POST", (302, 302, 404, 404, 404, 404, 404)),
    # A visit the server refused, sent as a note (issue [15]): the supervising or responsible
    # professional reads it (logged) and decides; an empty decision is sent back with a message.
    ("cases:visit_note",              "GET",  (302, 200, 404, 404, 404, 404, 404)),
    ("cases:visit_note",              "POST", (302, 405, 405, 404, 404, 404, 404)),
    ("cases:visit_note_decide",       "GET",  (302, 405, 405, 404, 404, 404, 404)),
    ("cases:visit_note_decide",       "POST", (302, 302, 404, 404, 404, 404, 404)),
    # --- the weekly meeting ---------------------------------------------------------------------
    ("meetings:current",              "GET",  (302, 200, 200, 404, 404, 404, 404)),  # own team's week
    ("meetings:current",              "POST", (302, 302, 302, 404, 404, 404, 404)),  # opens own team's
    # The team lets volunteer staff join (R4): they see their own cases' items, as slices.
    ("meetings:detail",               "GET",  (302, 200, 404, 200, 404, 404, 404)),
    ("meetings:detail",               "POST", (302, 405, 405, 405, 405, 405, 405)),  # read-only: GET only
    ("meetings:decide",               "GET",  (302, 200, 404, 404, 404, 404, 404)),
    ("meetings:decide",               "POST", (302, 200, 404, 404, 404, 404, 404)),
    ("meetings:end",                  "GET",  (302, 405, 405, 404, 404, 404, 404)),
    ("meetings:end",                  "POST", (302, 302, 404, 404, 404, 404, 404)),
    ("meetings:minutes",              "GET",  (302, 200, 404, 404, 404, 404, 404)),
    ("meetings:minutes",              "POST", (302, 405, 405, 404, 404, 404, 404)),  # read-only: GET only
    # --- volunteer staff (volunteer_required) --------------------------------------------------
    ("volunteers:my_cases",           "GET",  (302, 404, 404, 200, 404, 404, 404)),
    ("volunteers:my_cases",           "POST", (302, 404, 404, 405, 404, 404, 404)),  # read-only: GET only
    ("volunteers:my_case",            "GET",  (302, 404, 404, 200, 404, 404, 404)),
    ("volunteers:my_case",            "POST", (302, 404, 404, 405, 404, 404, 404)),  # read-only: GET only
    ("volunteers:visit_new",          "GET",  (302, 404, 404, 200, 404, 404, 404)),
    ("volunteers:visit_new",          "POST", (302, 404, 404, 200, 404, 404, 404)),
    # A visit kept on the phone, sent by the app's script (JSON): POST only; empty, the form's errors.
    ("volunteers:visit_send",         "GET",  (302, 404, 404, 405, 404, 404, 404)),
    ("volunteers:visit_send",         "POST", (302, 404, 404, 400, 404, 404, 404)),
    ("volunteers:visit_correct_send", "GET",  (302, 404, 404, 405, 404, 404, 404)),
    ("volunteers:visit_correct_send", "POST", (302, 404, 404, 400, 404, 404, 404)),
    ("volunteers:visit_note_send",    "GET",  (302, 404, 404, 405, 404, 404, 404)),
    ("volunteers:visit_note_send",    "POST", (302, 404, 404, 400, 404, 404, 404)),
    # The key of the drafts on the phone, derived from the session (volunteers/drafts.py).
    ("volunteers:draft_key",          "GET",  (302, 404, 404, 200, 404, 404, 404)),
    ("volunteers:draft_key",          "POST", (302, 404, 404, 405, 404, 404, 404)),  # read-only: GET only
    ("volunteers:visit_edit",         "GET",  (302, 404, 404, 200, 404, 404, 404)),
    ("volunteers:visit_edit",         "POST", (302, 404, 404, 200, 404, 404, 404)),
    # A proposal (R7): only the proposed volunteer sees the name and street, and answers.
    ("volunteers:proposal",           "GET",  (302, 404, 404, 200, 404, 404, 404)),
    ("volunteers:proposal",           "POST", (302, 404, 404, 405, 404, 404, 404)),  # read-only: GET only
    ("volunteers:proposal_accept",    "GET",  (302, 404, 404, 405, 404, 404, 404)),
    ("volunteers:proposal_accept",    "POST", (302, 404, 404, 302, 404, 404, 404)),
    ("volunteers:proposal_decline",   "GET",  (302, 404, 404, 405, 404, 404, 404)),
    ("volunteers:proposal_decline",   "POST", (302, 404, 404, 200, 404, 404, 404)),  # no reason: the form again
    ("volunteers:board",              "GET",  (302, 404, 404, 200, 404, 404, 404)),
    ("volunteers:board",              "POST", (302, 404, 404, 405, 404, 404, 404)),  # read-only: GET only
    ("volunteers:board_answer",       "GET",  (302, 404, 404, 200, 404, 404, 404)),
    ("volunteers:board_answer",       "POST", (302, 404, 404, 200, 404, 404, 404)),
    ("volunteers:alarm",              "GET",  (302, 404, 404, 200, 404, 404, 404)),
    ("volunteers:alarm",              "POST", (302, 404, 404, 302, 404, 404, 404)),
    ("volunteers:hours",              "GET",  (302, 404, 404, 200, 404, 404, 404)),
    ("volunteers:hours",              "POST", (302, 404, 404, 405, 404, 404, 404)),  # read-only: GET only
    # --- coordination (coordinator_required) --------------------------------------------------
    ("coordination:dashboard",        "GET",  (302, 404, 404, 404, 200, 404, 404)),
    ("coordination:dashboard",        "POST", (302, 404, 404, 404, 405, 404, 404)),  # read-only: GET only
    ("coordination:volunteer_new",    "GET",  (302, 404, 404, 404, 200, 404, 404)),
    ("coordination:volunteer_new",    "POST", (302, 404, 404, 404, 200, 404, 404)),
    ("coordination:volunteer",        "GET",  (302, 404, 404, 404, 200, 404, 404)),
    ("coordination:volunteer",        "POST", (302, 404, 404, 404, 200, 404, 404)),
    ("coordination:equipment_issue",  "GET",  (302, 404, 404, 404, 405, 404, 404)),
    ("coordination:equipment_issue",  "POST", (302, 404, 404, 404, 302, 404, 404)),
    ("coordination:equipment_return", "GET",  (302, 404, 404, 404, 405, 404, 404)),
    ("coordination:equipment_return", "POST", (302, 404, 404, 404, 302, 404, 404)),
    ("coordination:checkin_new",      "GET",  (302, 404, 404, 404, 405, 404, 404)),
    ("coordination:checkin_new",      "POST", (302, 404, 404, 404, 200, 404, 404)),  # the form's errors
    ("coordination:offboard",         "GET",  (302, 404, 404, 404, 200, 404, 404)),
    ("coordination:offboard",         "POST", (302, 404, 404, 404, 302, 404, 404)),
    ("coordination:roster",           "GET",  (302, 404, 404, 404, 200, 404, 404)),
    ("coordination:roster",           "POST", (302, 404, 404, 404, 405, 404, 404)),  # read-only: GET only
    ("coordination:shift_assign",     "GET",  (302, 404, 404, 404, 405, 404, 404)),
    ("coordination:shift_assign",     "POST", (302, 404, 404, 404, 302, 404, 404)),
    ("coordination:shift_remove",     "GET",  (302, 404, 404, 404, 405, 404, 404)),
    ("coordination:shift_remove",     "POST", (302, 404, 404, 404, 302, 404, 404)),
    ("coordination:shift_swap",       "GET",  (302, 404, 404, 404, 405, 404, 404)),
    ("coordination:shift_swap",       "POST", (302, 404, 404, 404, 302, 404, 404)),
    ("coordination:absence_new",      "GET",  (302, 404, 404, 404, 405, 404, 404)),
    ("coordination:absence_new",      "POST", (302, 404, 404, 404, 302, 404, 404)),
    ("coordination:allowance",        "GET",  (302, 404, 404, 404, 200, 404, 404)),
    ("coordination:allowance",        "POST", (302, 404, 404, 404, 405, 404, 404)),  # read-only: GET only
    # --- the social map: the municipality's professionals and volunteer staff (R12, R13) ------
    ("socialmap:offers",              "GET",  (302, 200, 200, 200, 404, 404, 404)),
    ("socialmap:offers",              "POST", (302, 405, 405, 405, 404, 404, 404)),  # read-only: GET only
    ("socialmap:offer_new",           "GET",  (302, 200, 200, 200, 404, 404, 404)),
    ("socialmap:offer_new",           "POST", (302, 200, 200, 200, 404, 404, 404)),
    ("socialmap:offer",               "GET",  (302, 200, 200, 200, 404, 404, 404)),
    ("socialmap:offer",               "POST", (302, 200, 200, 200, 404, 404, 404)),
    # Referrals are case-file records: whoever works on the case (file or visits).
    ("socialmap:referral_new",        "GET",  (302, 405, 405, 405, 404, 404, 404)),
    ("socialmap:referral_new",        "POST", (302, 302, 404, 302, 404, 404, 404)),
    # The referral form of the professional's case file (volunteer staff have it inline in the slice).
    ("socialmap:referral_form",       "GET",  (302, 200, 404, 404, 404, 404, 404)),
    ("socialmap:referral_form",       "POST", (302, 405, 405, 404, 404, 404, 404)),  # read-only: GET only
    ("socialmap:referral_outcome",    "GET",  (302, 405, 405, 405, 404, 404, 404)),
    ("socialmap:referral_outcome",    "POST", (302, 302, 404, 302, 404, 404, 404)),
    ("socialmap:signals",             "GET",  (302, 200, 200, 200, 404, 404, 404)),
    ("socialmap:signals",             "POST", (302, 200, 200, 200, 404, 404, 404)),
    # Moving a signal on is the municipality's professionals' task (R13).
    ("socialmap:signal_advance",      "GET",  (302, 405, 405, 405, 404, 404, 404)),
    ("socialmap:signal_advance",      "POST", (302, 302, 302, 404, 404, 404, 404)),
    # --- privacy officer (role_required(PRIVACY_OFFICER)) -------------------------------------
    ("privacy:access_log",            "GET",  (302, 404, 404, 404, 404, 404, 200)),
    ("privacy:access_log",            "POST", (302, 404, 404, 404, 404, 404, 405)),  # read-only: GET only
    ("privacy:residents",             "GET",  (302, 404, 404, 404, 404, 404, 200)),
    ("privacy:residents",             "POST", (302, 404, 404, 404, 404, 404, 405)),  # read-only: GET only
    ("privacy:resident",              "GET",  (302, 404, 404, 404, 404, 404, 200)),
    ("privacy:resident",              "POST", (302, 404, 404, 404, 404, 404, 405)),  # read-only: GET only
    ("privacy:export",                "GET",  (302, 404, 404, 404, 404, 404, 405)),
    ("privacy:export",                "POST", (302, 404, 404, 404, 404, 404, 200)),  # recorded, so a POST
    ("privacy:request_register",      "GET",  (302, 404, 404, 404, 404, 404, 405)),
    ("privacy:request_register",      "POST", (302, 404, 404, 404, 404, 404, 422)),  # empty: the form again
    ("privacy:request_close",         "GET",  (302, 404, 404, 404, 404, 404, 405)),
    ("privacy:request_close",         "POST", (302, 404, 404, 404, 404, 404, 302)),
    ("privacy:act",                   "GET",  (302, 404, 404, 404, 404, 404, 405)),
    ("privacy:act",                   "POST", (302, 404, 404, 404, 404, 404, 302)),
    # --- the intake API (token only: a session counts for nothing, so everyone without an API
    # client's token hears 401 before the method is looked at; tests/api prove the token side) --
    ("api:intakes",                   "GET",  (401, 401, 401, 401, 401, 401, 401)),
    ("api:intakes",                   "POST", (401, 401, 401, 401, 401, 401, 401)),
    ("api:intake",                    "GET",  (401, 401, 401, 401, 401, 401, 401)),
    ("api:intake",                    "POST", (401, 401, 401, 401, 401, 401, 401)),
    # The OpenAPI document: public, no login, the same for all; read-only.
    ("api:openapi_yaml",              "GET",  (200, 200, 200, 200, 200, 200, 200)),
    ("api:openapi_yaml",              "POST", (405, 405, 405, 405, 405, 405, 405)),
    ("api:openapi_json",              "GET",  (200, 200, 200, 200, 200, 200, 200)),
    ("api:openapi_json",              "POST", (405, 405, 405, 405, 405, 405, 405)),
]  # fmt: skip

# Rows whose answer today differs from the table's (correct) answer: (key, method, role) -> why.
# They run as strict xfails; when the application is fixed, the xfail fails: drop the entry.
DEFECTS: dict[tuple[str, str, str], str] = {}

# URL arguments per row key; rows not listed take none.
ARGS: dict[str, Callable[[dict], list]] = {
    "calendar_feed": lambda w: [w["feed"].token],
    "accounts:passkey_remove": lambda w: [w["passkey"].pk],
    "cases:detail": lambda w: [w["case"].pk],
    "cases:edit": lambda w: [w["case"].pk],
    "cases:resident_edit": lambda w: [w["case"].pk],
    "cases:journal_add": lambda w: [w["case"].pk],
    "cases:agreement_add": lambda w: [w["case"].pk],
    "cases:agreement_done": lambda w: [w["case"].pk, w["agreement"].pk],
    "cases:consent_record": lambda w: [w["case"].pk],
    "cases:consent_withdraw": lambda w: [w["case"].pk],
    "cases:people": lambda w: [w["case"].pk, "responsible"],
    "cases:people_forms": lambda w: [w["case"].pk],
    "cases:history": lambda w: [w["case"].pk],
    "cases:membership_end": lambda w: [w["case"].pk, w["membership"].pk],
    "cases:status": lambda w: [w["case"].pk, "flag"],
    "cases:transfer": lambda w: [w["case"].pk],
    "cases:close": lambda w: [w["case"].pk],
    "cases:reopen": lambda w: [w["case"].pk],
    "cases:alarm_resolve": lambda w: [w["alarm"].pk],
    "cases:visit_note": lambda w: [w["visit_note"].pk],
    "cases:visit_note_decide": lambda w: [w["visit_note"].pk],
    "meetings:detail": lambda w: [w["meeting"].pk],
    "meetings:decide": lambda w: [w["meeting"].pk, w["case"].pk],
    "meetings:end": lambda w: [w["meeting"].pk],
    "meetings:minutes": lambda w: [w["meeting"].pk],
    "volunteers:my_case": lambda w: [w["case"].pk],
    "volunteers:visit_new": lambda w: [w["case"].pk],
    "volunteers:visit_send": lambda w: [w["case"].pk],
    "volunteers:visit_correct_send": lambda w: [w["case"].pk, w["visit"].pk],
    "volunteers:visit_note_send": lambda w: [w["case"].pk],
    "volunteers:visit_edit": lambda w: [w["case"].pk, w["visit"].pk],
    "volunteers:proposal": lambda w: [w["proposal"].pk],
    "volunteers:proposal_accept": lambda w: [w["proposal"].pk],
    "volunteers:proposal_decline": lambda w: [w["proposal"].pk],
    "volunteers:board_answer": lambda w: [w["open_question"].pk],
    "coordination:volunteer": lambda w: [w["profile"].pk],
    "coordination:equipment_issue": lambda w: [w["profile"].pk],
    "coordination:equipment_return": lambda w: [w["profile"].pk, w["equipment"].pk],
    "coordination:checkin_new": lambda w: [w["profile"].pk],
    "coordination:offboard": lambda w: [w["profile"].pk],
    "coordination:shift_remove": lambda w: [w["shift"].pk],
    "coordination:shift_swap": lambda w: [w["shift"].pk],
    "socialmap:offer": lambda w: [w["offer"].pk],
    "socialmap:referral_new": lambda w: [w["case"].pk],
    "socialmap:referral_form": lambda w: [w["case"].pk],
    "socialmap:referral_outcome": lambda w: [w["referral"].pk],
    "socialmap:signal_advance": lambda w: [w["signal"].pk],
    "privacy:resident": lambda w: [w["case"].resident_id],
    "privacy:export": lambda w: [w["case"].resident_id, "html"],
    "privacy:act": lambda w: [w["case"].resident_id, "object"],
    "privacy:request_register": lambda w: [w["case"].resident_id],
    "privacy:request_close": lambda w: [w["gdpr_request"].pk],
    "api:intake": lambda w: [w["case"].pk],
}

# POST bodies other than empty.
POST_DATA: dict[str, dict] = {"set_language": {"language": "nl"}}

# Where a 302 sends an anonymous user, when not to the login page.
ANONYMOUS_REDIRECTS: dict[str, str] = {"set_language": "/"}


def _close_the_case(world: dict) -> None:
    from cases import services
    from cases.models import Case

    services.case_close(actor=world["professional"], case=Case.objects.get(pk=world["case"].pk), outcome="resolved")


# Set-up a row needs before its request (inside the test's savepoint).
PREPARE: dict[tuple[str, str], Callable[[dict], None]] = {("cases:reopen", "POST"): _close_the_case}


# --- the guards -------------------------------------------------------------------------------


def _patterns(resolver: URLResolver | None = None, namespace: str = "", prefix: str = "") -> list[tuple[str, str]]:
    """(key, full route) of every URL pattern outside ``OUTSIDE_TABLE_NAMESPACES``; the key is
    the namespaced url name, or the full route for a pattern without a name."""
    found = []
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace in OUTSIDE_TABLE_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += _patterns(pattern, inner, route)
        elif isinstance(pattern, URLPattern):
            found.append((f"{namespace}{pattern.name}" if pattern.name else route, route))
    return found


def test_every_url_pattern_and_method_is_in_the_table():
    wanted = {(key, method) for key, _route in _patterns() for method in METHODS}
    rows = {(key, method) for key, method, _statuses in TABLE}
    assert sorted(wanted - rows) == [], "patterns or methods without a row"
    assert sorted(rows - wanted) == [], "rows for patterns that no longer exist"


def test_every_pattern_has_its_own_key():
    """Two patterns with one url name would share a row and leave one untested."""
    counts = Counter(key for key, _route in _patterns())
    assert [key for key, count in counts.items() if count > 1] == []


def test_the_table_is_well_formed():
    counts = Counter((key, method) for key, method, _statuses in TABLE)
    assert [row for row, count in counts.items() if count > 1] == []
    assert all(method in METHODS and len(statuses) == len(ROLES) for _key, method, statuses in TABLE)
    assert set(DEFECTS) <= {(key, method, role) for key, method, _statuses in TABLE for role in ROLES}
    assert {(key, method) for key, method in PREPARE} <= set(counts)
    assert set(ARGS) | set(POST_DATA) | set(ANONYMOUS_REDIRECTS) <= {key for key, _method in counts}


def test_the_guard_sees_unnamed_and_nested_patterns():
    from django.urls import include, path
    from django.urls.resolvers import RegexPattern

    def view(request):  # pragma: no cover - never called
        raise AssertionError

    inner = ([path("c/<int:pk>/", view, name="c"), path("d/", view)], "inner")
    root = URLResolver(
        RegexPattern(r"^/"),
        [path("a/<int:pk>/", view), path("b/", include(inner)), path("beheer/", include(([path("", view)], "admin")))],
    )

    assert _patterns(root) == [("a/<int:pk>/", "a/<int:pk>/"), ("inner:c", "b/c/<int:pk>/"), ("b/d/", "b/d/")]


# --- the table --------------------------------------------------------------------------------


@functools.cache
def _routes() -> dict[str, str]:
    return dict(_patterns())


def _url(key: str, args: list) -> str:
    route = _routes()[key]
    if key != route:
        return reverse(key, args=args)
    values = iter(args)  # an unnamed pattern: fill its route's <converter:name> parts in order
    return "/" + re.sub(r"<(?:\w+:)?\w+>", lambda _match: str(next(values)), route)


def _params():
    for key, method, statuses in TABLE:
        for role, expected in zip(ROLES, statuses, strict=True):
            reason = DEFECTS.get((key, method, role))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(key, method, role, expected, marks=marks, id=f"{key}-{method}-{role}")


@pytest.mark.parametrize(("key", "method", "role", "expected"), list(_params()))
def test_url_answers_as_the_table_says(world, key, method, role, expected):
    client = Client(raise_request_exception=False)  # a crash is a 500 in the table, not an error
    if world[role] is not None:
        assert client.login(username=world[role].username, password=PASSWORD)
    if (key, method) in PREPARE:
        PREPARE[key, method](world)
    url = _url(key, ARGS.get(key, lambda _world: [])(world))

    response = client.get(url) if method == "GET" else client.post(url, POST_DATA.get(key, {}))

    assert response.status_code == expected, f"{method} {url} as {role}"
    if response.status_code != 302:
        return
    if role == "anonymous":
        target = ANONYMOUS_REDIRECTS.get(key, reverse("accounts:login"))
        assert response.url == target or response.url.startswith(f"{target}?"), response.url
    else:  # logged in with the second factor: never sent back to log in (but by logging out)
        assert not response.url.startswith((reverse("accounts:mfa_verify"), reverse("accounts:mfa_setup")))
        assert key == "accounts:logout" or not response.url.startswith(reverse("accounts:login")), response.url


WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
# A GET may write only an access entry (a read of a file is logged) and its session (renewed
# while the user is active): never data.
GET_MAY_WRITE = ("auditlog_logentry", "django_session")


@pytest.mark.parametrize(
    ("key", "role"),
    [
        pytest.param(key, role, id=f"{key}-{role}")
        for key, method, statuses in TABLE
        for role, expected in zip(ROLES, statuses, strict=True)
        if method == "GET" and expected == 200
    ],
)
def test_a_get_changes_no_data(world, key, role):
    from auditlog.models import LogEntry
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if world[role] is not None:
        assert client.login(username=world[role].username, password=PASSWORD)
    url = _url(key, ARGS.get(key, lambda _world: [])(world))
    changes_before = LogEntry.objects.exclude(action=LogEntry.Action.ACCESS).count()

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    writes = [q["sql"][:120] for q in queries.captured_queries if WRITE.match(q["sql"])]
    assert [sql for sql in writes if not any(f'"{table}"' in sql for table in GET_MAY_WRITE)] == []
    assert LogEntry.objects.exclude(action=LogEntry.Action.ACCESS).count() == changes_before
    # While the page is here: it speaks its users' language (issue [12]), no rule codes such
    # as "(R6)" and no "---------" as the empty choice of a select.
    if response.get("Content-Type", "").startswith("text/html"):
        html = response.content.decode()
        assert not JARGON.findall(html), JARGON.findall(html)


JARGON = re.compile(r"\(R\d+(?:, R\d+)*\)|-{5,}")


# --- the world --------------------------------------------------------------------------------


def _coordination_world(case, coordinator) -> dict:
    from volunteers import services as volunteer_services
    from volunteers.models import Location, RosterSlot

    profile = case.volunteer.volunteer_profile
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    slot = RosterSlot.objects.create(
        location=Location.objects.create(team=case.team, name="Dorpshuis"),
        weekday=tomorrow.weekday(),
        start_time=datetime.time(10),
        end_time=datetime.time(11),
        valid_from=datetime.date.today(),
    )
    return {
        "profile": profile,
        "equipment": volunteer_services.equipment_issue(actor=coordinator, profile=profile, kind="phone"),
        "shift": volunteer_services.shift_assign(actor=coordinator, slot=slot, date=tomorrow, person=case.volunteer),
        "feed": volunteer_services.calendar_feed_create(actor=case.volunteer),
    }


def _social_map_world(case) -> dict:
    from socialmap import services as map_services

    offer = map_services.offer_save(
        actor=case.responsible, villages=[case.resident.village], name="Koffie", kind="activity"
    )
    return {
        "offer": offer,
        "referral": map_services.referral_make(actor=case.responsible, case=case, offer=offer),
        "signal": map_services.signal_record(
            actor=case.volunteer, village=case.resident.village, theme="t", description="d"
        ),
    }


def _passkey(user) -> object:
    from django_otp_webauthn.models import WebAuthnCredential

    from base.audit import acting_as

    with acting_as(user):
        return WebAuthnCredential.objects.create(
            user=user, name="Laptop", credential_id=b"table", public_key=b"key", aaguid="0" * 36
        )


def _build_world() -> dict:
    from cases import services
    from cases.constants import MembershipRole
    from cases.models import CaseMembership
    from privacy.models import DataSubjectRequest

    case = CaseFactory(with_volunteer=True)
    case.team.volunteers_join_meeting = True  # so the meeting page's volunteer branch is reached
    case.team.save(update_fields=["volunteers_join_meeting"])
    other_team = CaseFactory().team
    coordinator = make_coordinator(case.team)
    last_week = datetime.date.today() - datetime.timedelta(days=7)
    return {
        "meeting": services.meeting_start(actor=case.responsible, team=case.team, day=last_week),
        "agreement": services.agreement_add(
            actor=case.responsible, case=case, kind="administration", description="Post", assignee=case.volunteer
        ),
        "membership": CaseMembership.objects.get(case=case, role=MembershipRole.VOLUNTEER),
        "visit": services.home_visit_log(
            actor=case.volunteer, case=case, visited_on=datetime.date.today(), duration_minutes=30
        ),
        "open_question": CaseFactory(resident=ResidentFactory(village=case.resident.village), consented=True),
        # the same volunteer, proposed for a second case and not yet answering (R7)
        "proposal": CaseFactory(
            resident=ResidentFactory(village=case.resident.village), with_proposal=True, volunteer=case.volunteer
        ).volunteer_membership,
        "alarm": services.alarm_raise(actor=case.volunteer, case=case, note="zwaar"),
        "visit_note": services.visit_note_send(
            actor=case.volunteer, case=case, visited_on=datetime.date.today(), duration_minutes=30, summary="x"
        ),
        **_coordination_world(case, coordinator),
        **_social_map_world(case),
        "case": case,
        "anonymous": None,
        "professional": case.responsible,
        "other_team_professional": make_professional(other_team),
        "volunteer": case.volunteer,
        "coordinator": coordinator,
        "administrator": make_administrator(),
        "privacy_officer": make_privacy_officer(case.team.municipality),
        "gdpr_request": DataSubjectRequest.objects.create(
            resident=case.resident, kind="rectification", received_on=datetime.date.today()
        ),
        "passkey": _passkey(case.responsible),
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module in a transaction that is rolled back after its last test; each
    test's own transaction (pytest-django's ``db``) is a savepoint inside it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = _build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
