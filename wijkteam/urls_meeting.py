from django.urls import path

from . import views_meeting as views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_current, name="current"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/casus/<int:case_pk>/", views.meeting_decide, name="decide"),
    path("<int:pk>/afsluiten/", views.meeting_end, name="end"),
    path("<int:pk>/notulen/", views.meeting_minutes, name="minutes"),
]
