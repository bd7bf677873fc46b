from django.contrib.auth import views as auth_views
from django.urls import path

from smeplan.web.views import audit, export, figures, home, organisations, regions

urlpatterns = [
    path("", home.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("organisations/", organisations.organisation_list, name="organisation_list"),
    path("organisations/export.xlsx", export.organisation_export, name="organisation_export"),
    path("organisations/export.csv", export.organisation_export_csv, name="organisation_export_csv"),
    path("organisations/figures-<str:layout>.xlsx", export.figures_export, name="figures_export"),
    path("organisations/figures-<str:layout>.csv", export.figures_export_csv, name="figures_export_csv"),
    path("organisations/templates/<str:kind>.xlsx", export.import_template, name="import_template"),
    path("organisations/new/", organisations.organisation_create_view, name="organisation_create"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", organisations.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<int:pk>/rename/", organisations.organisation_rename_view, name="organisation_rename"
    ),
    path(
        "organisations/<int:pk>/figures.xlsx",
        export.organisation_figures_export,
        name="organisation_figures_export",
    ),
    path("organisations/<int:pk>/figures/new/", figures.figures_create_view, name="figures_create"),
    path("organisations/<int:pk>/figures/<int:year>/edit/", figures.figures_edit_view, name="figures_edit"),
    path("regions/", regions.region_index, name="region_index"),
    path("regions/<str:code>/", regions.region_detail, name="region_detail"),
    path("audit/", audit.audit_list, name="audit_list"),
]
