from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/afsluiten/", views.case_close, name="close"),
    path("<int:pk>/heropenen/", views.case_reopen, name="reopen"),
]
