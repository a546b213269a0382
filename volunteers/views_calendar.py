"""Personal calendar feeds (iCalendar) of walk-in shifts, for any staff member on a roster.

The feed URL holds a secret token instead of a login (calendar apps cannot log in). It carries
only the shift's time and place, never case content.
"""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from . import selectors, services
from .models import CalendarFeed


@login_required
@require_http_methods(["GET", "POST"])
def my_calendar(request):
    """My upcoming shifts and the address of my personal calendar feed. Reading the page
    changes nothing; the feed address is made when the person asks for it (POST)."""
    if request.method == "POST":
        services.calendar_feed_create(actor=request.user)
        return redirect("my_calendar")
    feed = services.calendar_feed_of(request.user)
    url = request.build_absolute_uri(reverse("calendar_feed", args=[feed.token])) if feed else ""
    shifts = selectors.shifts_of(request.user, timezone.localdate())[:50]
    return render(request, "coordination/my_calendar.html", {"feed_url": url, "shifts": shifts})


@require_safe
def calendar_feed(request, token: str):
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    if not feed.user.is_active:
        raise Http404
    since = timezone.localdate() - datetime.timedelta(days=90)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Wijkteam//Rooster//NL", "CALSCALE:GREGORIAN"]
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    for shift in selectors.shifts_of(feed.user, since):
        slot = shift.slot
        start = timezone.make_aware(datetime.datetime.combine(shift.date, slot.start_time))
        end = timezone.make_aware(datetime.datetime.combine(shift.date, slot.end_time))
        lines += [
            "BEGIN:VEVENT",
            f"UID:shift-{shift.pk}@wijkteam",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{start.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}",
            f"DTEND:{end.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}",
            f"SUMMARY:{_escape('Inloopspreekuur ' + slot.location.name)}",
            f"LOCATION:{_escape(slot.location.address or slot.location.name)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    response = HttpResponse("\r\n".join(lines) + "\r\n", content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="rooster.ics"'
    return response


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
