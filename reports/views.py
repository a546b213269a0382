"""Reports with charts rendered by the app itself (SVG, no third-party service), for the
teams the reader works in or coordinates; CSV export. Anyone else gets 404."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from base.exports import csv_response
from base.forms import parse_day

from . import selectors


def _day(value: str | None, default: datetime.date) -> datetime.date:
    return parse_day(value) or default


@login_required
@require_safe
def report(request):
    teams = list(selectors.report_teams(request.user))
    if not teams:
        raise Http404
    today = timezone.localdate()
    start = _day(request.GET.get("van"), today - datetime.timedelta(weeks=12))
    end = _day(request.GET.get("tot"), today)
    if end < start or (end - start).days > 3 * 366:
        start, end = today - datetime.timedelta(weeks=12), today
    chosen = [team for team in teams if str(team.pk) == request.GET.get("team")] or teams
    data = selectors.build_report(user=request.user, teams=chosen, start=start, end=end)
    if request.GET.get("formaat") == "csv":
        return csv_response(
            f"rapportage-{start}-{end}.csv",
            [_("Report"), _("Item"), _("Value")],
            ([table.title, row.label, row.shown] for table in data["tables"] for row in table.rows),
        )
    return render(
        request,
        "reports/report.html",
        {
            **data,
            "teams": teams,
            "chosen_team": request.GET.get("team", ""),
            "start": start,
            "end": end,
            "query": request.GET.urlencode(),
        },
    )
