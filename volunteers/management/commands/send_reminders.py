"""Daily reminders by e-mail (meant for a daily timer): VOG expiry, overdue check-ins, roster
changes, and tomorrow's follow-up appointments and agreements due (issue [12]). Through
Django's e-mail framework (console backend by default). The messages hold no case content:
no resident, no request, only how many and a link to Wijkteam."""

import datetime

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from accounts.models import User
from cases import selectors as case_selectors
from volunteers.models import Shift, VolunteerStaff


class Command(BaseCommand):
    help = (
        "Send the daily reminders: VOG expiry, overdue well-being check-ins, roster changes, "
        "tomorrow's follow-up appointments and agreements due."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print what would be sent; send nothing.")

    def handle(self, *args, dry_run: bool = False, **options):
        with override("nl"):
            messages = [*self._vog(), *self._checkins(), *self._roster_changes(), *self._tomorrow()]
        for recipients, subject, body in messages:
            if dry_run:
                self.stdout.write(f"{', '.join(sorted(recipients))}: {subject}")
            else:
                send_mail(subject, body, None, sorted(recipients), fail_silently=False)
        self.stdout.write(f"{len(messages)} reminder(s) {'would be ' if dry_run else ''}sent.")

    def _active(self):
        today = timezone.localdate()
        return (
            VolunteerStaff.objects.filter(user__is_active=True)
            .exclude(ended_on__lte=today)
            .select_related("user", "team__municipality")
            .prefetch_related("team__coordinators")
        )

    def _coordinators(self, profile) -> set[str]:
        return {c.email for c in profile.team.coordinators.all() if c.email}

    def _vog(self):
        for profile in self._active():
            weeks = profile.team.municipality.vog_warning_weeks
            if profile.vog_expires_within(weeks) or not profile.screening_valid():
                until = profile.vog_valid_until()
                if until is None:
                    state = _("missing")
                elif not profile.screening_valid():
                    state = _("expired")
                else:
                    state = _("expires on %(date)s") % {"date": date_format(until, "j F Y")}
                recipients = self._coordinators(profile) | ({profile.user.email} if profile.user.email else set())
                if recipients:
                    yield (
                        recipients,
                        _("VOG of %(name)s: %(state)s") % {"name": profile.user.display_name, "state": state},
                        _("Request a new certificate of good conduct (VOG) in time. Without a valid VOG, "
                          "volunteer staff cannot work on cases."),
                    )  # fmt: skip

    def _checkins(self):
        today = timezone.localdate()
        for profile in self._active():
            interval = profile.team.municipality.checkin_interval_weeks
            last = profile.checkins.order_by("-held_on").values_list("held_on", flat=True).first()
            if last is None or last < today - datetime.timedelta(weeks=interval):
                recipients = self._coordinators(profile)
                if recipients:
                    yield (
                        recipients,
                        _("Well-being check-in due: %(name)s") % {"name": profile.user.display_name},
                        _("It is time to ask how it is going."),
                    )

    def _roster_changes(self):
        since = timezone.now() - datetime.timedelta(days=1)
        shift_type = ContentType.objects.get_for_model(Shift)
        changed: dict[str, int] = {}
        for entry in LogEntry.objects.filter(content_type=shift_type, timestamp__gte=since):
            person = (entry.changes_dict or {}).get("person")
            person_id = person[1] if isinstance(person, list) and person[1] not in (None, "None") else None
            if person_id is None and isinstance(person, list):
                person_id = person[0]
            if person_id:
                changed[str(person_id)] = changed.get(str(person_id), 0) + 1
        for user in User.objects.filter(pk__in=[int(pk) for pk in changed if str(pk).isdigit()], is_active=True):
            if user.email:
                yield (
                    {user.email},
                    _("Your walk-in hour roster changed"),
                    _("Your roster changed in the last day. See 'My roster' in Wijkteam."),
                )

    def _tomorrow(self):
        """One mail per person with follow-up appointments or agreements due tomorrow, counted
        by the rule of their "My week" (``cases.selectors.case_week``). No case content: only
        the numbers and a link to the home page."""
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        link = settings.SITE_URL + reverse("home")
        for user in case_selectors.people_with_work_on(tomorrow):
            if not user.email:
                continue
            week = case_selectors.case_week(user, start=tomorrow, days=1, with_overdue=False)
            appointments, agreements = week.appointment_count, week.agreement_count
            if not appointments and not agreements:
                continue
            lines = []
            if appointments:
                lines.append(
                    ngettext(
                        "You have %(count)d appointment tomorrow.",
                        "You have %(count)d appointments tomorrow.",
                        appointments,
                    )
                    % {"count": appointments}
                )
            if agreements:
                lines.append(
                    ngettext(
                        "%(count)d agreement is due tomorrow.", "%(count)d agreements are due tomorrow.", agreements
                    )
                    % {"count": agreements}
                )
            lines.append(_("See Wijkteam: %(link)s") % {"link": link})
            yield ({user.email}, _("Tomorrow in Wijkteam"), "\n".join(lines))
