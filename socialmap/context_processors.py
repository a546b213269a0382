"""Template context for the referral forms on case pages and in the volunteer slice."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import ReferralOutcome
from .selectors import referral_offer_choices


def social_map(request: HttpRequest) -> dict:
    """The offers and outcome choices for the referral forms (lazy: only evaluated when a page
    shows a referral form)."""

    def offers():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return []
        return referral_offer_choices(user)

    return {"referral_offers": SimpleLazyObject(offers), "outcome_choices": ReferralOutcome.choices}
