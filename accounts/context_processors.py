"""Template context: the roles of the logged-in user, for the navigation per role."""

from django.http import HttpRequest

from .roles import Role, user_roles


def roles(request: HttpRequest) -> dict:
    names = user_roles(getattr(request, "user", None))
    return {
        "is_professional": Role.PROFESSIONAL.value in names,
        "is_volunteer_staff": Role.VOLUNTEER_STAFF.value in names,
        "is_coordinator": Role.COORDINATOR.value in names,
        "is_administrator": Role.ADMINISTRATOR.value in names,
        "is_privacy_officer": Role.PRIVACY_OFFICER.value in names,
    }


def social_map(request: HttpRequest) -> dict:
    """The offers and outcome choices for the referral forms on case pages (lazy: only
    evaluated when a page shows a referral form)."""
    from django.utils.functional import SimpleLazyObject

    def offers():
        from socialmap.selectors import referral_offer_choices

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return []
        return referral_offer_choices(user)

    def outcomes():
        from socialmap.models import ReferralOutcome

        return ReferralOutcome.choices

    return {"referral_offers": SimpleLazyObject(offers), "outcome_choices": SimpleLazyObject(outcomes)}
