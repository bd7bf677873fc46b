"""企业注册、注册审核、本单位账号、邀请、我的账号、找回密码 (issue 16 part 1).

Pages only render and pass raw text to the services (``portal.registration``, ``portal.members``);
every rule and Chinese message is theirs. The login and reset forms count failures
(``accounts.throttle``); the password rules are ``accounts.passwords``.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST

from smeplan.accounts import throttle
from smeplan.accounts.models import Role
from smeplan.accounts.passwords import POLICY_TEXT
from smeplan.accounts.throttle import ThrottledPasswordResetForm
from smeplan.portal import members as members_service
from smeplan.portal import registration as reg
from smeplan.portal.models import EnterpriseRegistration, Invitation, RegistrationState
from smeplan.regions.selectors import counties
from smeplan.web.forms import add_service_errors
from smeplan.web.views.common import flash_errors, require_page

PASSWORD_INPUT = forms.PasswordInput(attrs={"autocomplete": "new-password"})


def _text(label, *, widget=None, help_text="", required_mark=True):
    field = forms.CharField(label=label, required=False, strip=True, widget=widget, help_text=help_text)
    field.required_mark = required_mark
    return field


def all_county_choices() -> list:
    """Every county grouped by its city-level unit, for the public registration form."""
    groups: dict[str, tuple[str, list]] = {}
    for county in counties().select_related("parent"):
        city = county.city_level_unit_code() or county.code
        name = county.parent.name if county.parent is not None and county.parent.code == city else county.name
        groups.setdefault(city, (name, []))[1].append((county.code, county.name))
    return [("", "— 请选择 —"), *groups.values()]


class RegistrationRequestForm(forms.Form):
    credit_code = _text("统一社会信用代码", help_text="18 位，见营业执照")
    name = _text("单位名称", help_text="与营业执照一致")
    county = _text("所在区县", widget=forms.Select(choices=()))
    contact_name = _text("联系人")
    mobile = _text("手机号码", help_text="11 位中国大陆手机号")
    email = _text("电子邮箱", help_text="用于接收审核结果、通知和找回密码")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].widget.choices = all_county_choices()


class RegistrationForm(RegistrationRequestForm):
    username = _text("用户名", help_text="登录时使用；字母、数字、汉字和 @ . + - _")
    password = _text("密码", widget=PASSWORD_INPUT, help_text=POLICY_TEXT)
    password2 = _text("再次输入密码", widget=PASSWORD_INPUT)


@require_http_methods(["GET", "POST"])
def register(request):
    """企业注册 (public)."""
    if request.user.is_authenticated:
        return redirect("home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = throttle.client_address(request)
        until = throttle.locked_until("register", account="", address=address)
        if until is not None:
            form.add_error(None, throttle.retry_message(until, "注册"))
            return render(request, "web/portal/registration_form.html", {"form": form, "policy": POLICY_TEXT})
        throttle.attempt_count("register", account="", address=address)
        try:
            registration = reg.registration_submit(data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            login(request, registration.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "注册申请已提交，请等待区县主管部门审核。")
            for note in registration.notes:
                messages.info(request, note)
            return redirect("registration_status")
    return render(request, "web/portal/registration_form.html", {"form": form, "policy": POLICY_TEXT})


@login_required
@require_http_methods(["GET", "POST"])
def registration_status(request):
    """The status page of an account waiting for (or refused) approval; resubmission after refusal."""
    user = request.user
    registration = (
        EnterpriseRegistration.objects.select_related("county", "organisation").filter(user=user).first()
    )
    form = None
    if registration is not None and registration.state == RegistrationState.REFUSED:
        initial = {f: getattr(registration, f) for f in reg.REQUEST_FIELDS}
        initial["county"] = registration.county_id
        form = RegistrationRequestForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                registration = reg.registration_resubmit(
                    actor=user, registration=registration, data=form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "注册申请已重新提交，请等待区县主管部门审核。")
                for note in registration.notes:
                    messages.info(request, note)
                return redirect("registration_status")
    elif request.method == "POST":
        return redirect("registration_status")
    return render(
        request,
        "web/portal/registration_status.html",
        {"registration": registration, "form": form},
    )


# --- 企业注册审核 (bureau) -----------------------------------------------------------------------


STATE_FILTERS = [("pending", "待审核"), ("refused", "未通过"), ("approved", "已通过"), ("all", "全部")]


@login_required
def registration_list(request):
    user = request.user
    require_page(reg.may_review(user))
    state = request.GET.get("state") or "pending"
    if state not in dict(STATE_FILTERS):
        state = "pending"
    qs = reg.registrations_for(user, state="" if state == "all" else state)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "web/portal/registration_list.html",
        {"page": page, "state": state, "filters": STATE_FILTERS},
    )


@login_required
def registration_detail(request, pk):
    user = request.user
    require_page(reg.may_review(user))
    registration = reg.registration_get(user, pk)
    return render(request, "web/portal/registration_detail.html", {"registration": registration})


@login_required
@require_POST
def registration_approve_view(request, pk):
    user = request.user
    require_page(reg.may_review(user))
    registration = reg.registration_get(user, pk)
    try:
        registration = reg.registration_approve(actor=user, registration=registration)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("registration_detail", pk=pk)
    messages.success(
        request, f"已通过“{registration.organisation.name}”的注册申请，申请人已成为该单位的企业管理员。"
    )
    return redirect(reverse("registration_list"))


@login_required
@require_POST
def registration_refuse_view(request, pk):
    user = request.user
    require_page(reg.may_review(user))
    registration = reg.registration_get(user, pk)
    try:
        reg.registration_refuse(actor=user, registration=registration, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("registration_detail", pk=pk)
    messages.success(request, f"已不予通过“{registration.name}”的注册申请，申请人将看到原因。")
    return redirect(reverse("registration_list"))


# --- 本单位账号与邀请 (the firm's administrator) ---------------------------------------------------


class InvitationForm(forms.Form):
    email = _text("电子邮箱")
    display_name = _text("姓名", required_mark=False)


@login_required
def member_list(request):
    user = request.user
    require_page(members_service.is_firm_admin(user))
    invitations = list(members_service.invitations_of(user).select_related("invited_by"))
    for invitation in invitations:
        invitation.state_label = members_service.invitation_state(invitation)
        invitation.open = invitation.state_label == "待接受"
    return render(
        request,
        "web/portal/members_list.html",
        {
            "members": members_service.members_of(user),
            "invitations": invitations,
            "form": InvitationForm(),
            "days": members_service.INVITATION_DAYS,
        },
    )


@login_required
@require_POST
def member_invite(request):
    user = request.user
    require_page(members_service.is_firm_admin(user))
    form = InvitationForm(request.POST)
    form.is_valid()
    try:
        invitation, _token = members_service.invitation_create(
            actor=user,
            email=form.cleaned_data.get("email", ""),
            display_name=form.cleaned_data.get("display_name", ""),
            base_url=request.build_absolute_uri("/"),
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request, f"已向 {invitation.email} 发出邀请，链接 {members_service.INVITATION_DAYS} 天内有效。"
        )
    return redirect("member_list")


@login_required
@require_POST
def invitation_revoke_view(request, pk):
    user = request.user
    require_page(members_service.is_firm_admin(user))
    invitation = Invitation.objects.filter(pk=pk, organisation_id=user.organisation_id).first()
    if invitation is None:
        from django.http import Http404

        raise Http404("没有找到该邀请")
    try:
        members_service.invitation_revoke(actor=user, invitation=invitation)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, f"已撤回对 {invitation.email} 的邀请。")
    return redirect("member_list")


@login_required
@require_POST
def member_action(request, pk, action):
    """停用 / 恢复 / 设为管理员 / 取消管理员 a colleague's account."""
    user = request.user
    require_page(members_service.is_firm_admin(user))
    done = {
        "deactivate": "已停用该账号。",
        "activate": "已恢复该账号。",
        "grant_admin": "已设为企业管理员。",
        "withdraw_admin": "已取消企业管理员。",
    }
    if action not in done:
        from django.http import Http404

        raise Http404("没有该操作")
    try:
        if action in ("deactivate", "activate"):
            members_service.member_set_active(actor=user, member_id=pk, active=action == "activate")
        else:
            members_service.member_set_admin(actor=user, member_id=pk, admin=action == "grant_admin")
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, done[action])
    return redirect("member_list")


class AcceptForm(forms.Form):
    display_name = _text("姓名")
    username = _text("用户名", help_text="登录时使用；字母、数字、汉字和 @ . + - _")
    password = _text("密码", widget=PASSWORD_INPUT, help_text=POLICY_TEXT)
    password2 = _text("再次输入密码", widget=PASSWORD_INPUT)


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request, token):
    """接受邀请 (public, by the link's token)."""
    try:
        invitation = members_service.invitation_by_token(token)
    except ValidationError as exc:
        return render(
            request, "web/portal/members_invitation_invalid.html", {"errors": exc.messages}, status=404
        )
    form = AcceptForm(request.POST or None, initial={"display_name": invitation.display_name})
    if request.method == "POST" and form.is_valid():
        try:
            user = members_service.invitation_accept(token=token, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.user.is_authenticated:
                from django.contrib.auth import logout

                logout(request)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"账号已开通，您已加入“{invitation.organisation.name}”。")
            return redirect("home")
    return render(
        request,
        "web/portal/members_invitation_accept.html",
        {"form": form, "invitation": invitation, "policy": POLICY_TEXT},
    )


# --- 我的账号 ---------------------------------------------------------------------------------------


class AccountForm(forms.Form):
    display_name = _text("姓名/称呼", required_mark=False)
    email = _text("电子邮箱", required_mark=False)
    mobile = _text("手机号码", required_mark=False)


def _notification_settings_url() -> str:
    try:
        return reverse("notification_settings")
    except NoReverseMatch:
        return ""


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    user = request.user
    initial = {"display_name": user.display_name, "email": user.email, "mobile": user.mobile}
    form = AccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            members_service.account_update(actor=user, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已保存账号信息。")
            return redirect("account")
    return render(
        request,
        "web/portal/account_detail.html",
        {
            "form": form,
            "notification_settings_url": _notification_settings_url(),
            "is_firm_admin": members_service.is_firm_admin(user),
            "is_enterprise": user.role == Role.ENTERPRISE_USER,
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "web/portal/password_change.html"
    success_url = reverse_lazy("account")
    extra_context = {"policy": POLICY_TEXT}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "密码已修改。")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """找回密码: the throttled, audited form; the e-mail in Chinese."""

    form_class = ThrottledPasswordResetForm
    template_name = "web/portal/password_reset_form.html"
    email_template_name = "web/portal/password_reset_email.html"
    subject_template_name = "web/portal/password_reset_subject.html"
    success_url = reverse_lazy("password_reset_done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "web/portal/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")
    extra_context = {"policy": POLICY_TEXT}


def _login_view():
    from smeplan.accounts.throttle import ThrottledAuthenticationForm

    return auth_views.LoginView.as_view(
        template_name="web/login.html",
        redirect_authenticated_user=True,
        authentication_form=ThrottledAuthenticationForm,
    )


login_view = _login_view()
