"""Input validation for the account pages. Forms never save: services do."""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from fangkong.core.roles import TWO_FACTOR_REQUIRED, Role

from .passwords import CharacterClassValidator

_password_help = lazy(lambda: CharacterClassValidator().get_help_text(), str)

_ROLE_CHOICES = [("", _("请选择角色")), *Role.choices]


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autofocus": True, "autocapitalize": "none"}
        ),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TotpForm(forms.Form):
    code = forms.CharField(
        label=_("6位验证码"),
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "autofocus": True,
            }
        ),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("当前密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label=_("新密码"),
        strip=False,
        help_text=_password_help(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("再次输入新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的新密码不一致，请重新输入"))
        return data


class TotpDisableForm(forms.Form):
    password = forms.CharField(
        label=_("当前密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class RegionRoleForm(forms.Form):
    region = forms.CharField(
        label=_("辖区"),
        max_length=100,
        help_text=_("填写区划代码（如 433101）或辖区内不重名的区划名称"),
    )
    role = forms.ChoiceField(label=_("角色"), choices=_ROLE_CHOICES)


class UserCreateForm(RegionRoleForm):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        help_text=_("用于登录，字母、数字和 @ . + - _ 符号"),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}),
    )
    display_name = forms.CharField(label=_("姓名"), max_length=50)

    field_order = ["username", "display_name", "region", "role"]


class UserEditForm(forms.Form):
    display_name = forms.CharField(label=_("姓名"), max_length=50)


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或用户名"), required=False, max_length=50)
    role = forms.ChoiceField(
        label=_("角色"), required=False, choices=[("", _("全部角色")), *Role.choices]
    )
    region = forms.ChoiceField(label=_("辖区"), required=False, choices=[])

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("全部辖区"))] + [
            (r.code, f"{'　' * (r.level - regions[0].level)}{r.name}") for r in regions
        ]


class ApiTokenForm(RegionRoleForm):
    name = forms.CharField(
        label=_("名称"), max_length=100, help_text=_("对接的系统或用途，如“交通卡口数据对接”")
    )

    field_order = ["name", "region", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            c for c in self.fields["role"].choices if c[0] not in TWO_FACTOR_REQUIRED
        ]
