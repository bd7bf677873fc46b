"""通知设置 (``/notifications/settings/``): every signed-in user turns notification e-mails on or
off for their own account and sees the address they go to. Writes through
``notifications.services.notification_settings_update``."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from smeplan.notifications.services import notification_settings_update


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    user = request.user
    if request.method == "POST":
        on = request.POST.get("email_notifications") == "1"
        notification_settings_update(actor=user, email_notifications=on)
        messages.success(request, "已开启邮件通知" if on else "已关闭邮件通知，通知仍会显示在系统中")
        return redirect("notification_settings")
    return render(
        request,
        "web/notifications/settings.html",
        {"email": user.email, "on": user.email_notifications, "smtp": settings.SMEPLAN_NOTIFY_BY_EMAIL},
    )
