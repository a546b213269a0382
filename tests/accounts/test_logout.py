"""Logging out leaves nothing of the site on the device (issue [15]): the visits kept on the
phone (IndexedDB), the app's cache and its service worker are cleared by the browser."""

from django.urls import reverse

from tests.factories import PASSWORD, CaseFactory


def test_logging_out_clears_what_the_site_kept_on_the_device(client):
    case = CaseFactory(with_volunteer=True)
    client.login(username=case.volunteer.username, password=PASSWORD)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
