"""Page access by role: anyone without the role gets 404, as if the page did not exist."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from .roles import Role, has_role


def role_required(role: Role):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has_role(request.user, role):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


professional_required = role_required(Role.PROFESSIONAL)
volunteer_required = role_required(Role.VOLUNTEER_STAFF)
coordinator_required = role_required(Role.COORDINATOR)
