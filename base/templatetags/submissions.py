"""``{% submission_key %}``: the hidden submission key of a create form written by hand in a
template (forms with a ``SubmissionKeyField`` render ``{{ form.submission_key }}`` instead)."""

import uuid

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def submission_key() -> str:
    return format_html('<input type="hidden" name="submission_key" value="{}">', uuid.uuid4())
