"""企业注册、注册审核、本单位账号、邀请、我的账号、找回密码 (``web/views/portal_accounts.py``)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from smeplan.web.views import portal_accounts as v

urlpatterns = [
    path("register/", v.register, name="register"),
    path("portal/registration/status/", v.registration_status, name="registration_status"),
    path("portal/registrations/", v.registration_list, name="registration_list"),
    path("portal/registrations/<int:pk>/", v.registration_detail, name="registration_detail"),
    path("portal/registrations/<int:pk>/approve/", v.registration_approve_view, name="registration_approve"),
    path("portal/registrations/<int:pk>/refuse/", v.registration_refuse_view, name="registration_refuse"),
    path("portal/members/", v.member_list, name="member_list"),
    path("portal/members/invite/", v.member_invite, name="member_invite"),
    path("portal/members/<int:pk>/<str:action>/", v.member_action, name="member_action"),
    path("portal/invitations/<int:pk>/revoke/", v.invitation_revoke_view, name="invitation_revoke"),
    path("portal/invitations/<str:token>/", v.invitation_accept_view, name="invitation_accept"),
    path("account/", v.account, name="account"),
    path("account/password/", v.PasswordChangeView.as_view(), name="password_change"),
    path("password-reset/", v.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/done/",
        auth_views.PasswordResetDoneView.as_view(template_name="web/portal/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        v.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="web/portal/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
