"""Print the current two-step login code of a demo account (DEBUG only), so the demo stays
usable with `make run` without an authenticator app."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from wijkteam import demo


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account (professional, volunteer, coordinator, beheerder)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        if not settings.DEBUG:
            raise CommandError("demo_code only runs with DEBUG on.")
        code = totp(bytes.fromhex(demo.totp_key(username)))
        seconds_left = 30 - int(time.time()) % 30
        self.stdout.write(f"{code:06d}  (valid for {seconds_left} more seconds)")
