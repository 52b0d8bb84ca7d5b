"""Users, their role assignments (user, region, role) and API tokens."""

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.core.fields import EncryptedTextField
from fangkong.core.roles import Role
from fangkong.core.scoping import ScopedModel, ScopedQuerySet


class UserQuerySet(ScopedQuerySet):
    """Users are scoped through their role assignments.

    A user is visible to an actor when any of the user's assignments (active or not) lies in
    the actor's subtree; so get_visible answers 404 for everyone else's users.
    """

    def visible_to(self, actor) -> "UserQuerySet":
        in_scope = RoleAssignment.objects.visible_to(actor).filter(user=OuterRef("pk"))
        return self.filter(Exists(in_scope))


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True


class User(AbstractUser):
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    failed_logins = models.PositiveSmallIntegerField(_("连续登录失败次数"), default=0)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)
    totp_secret = EncryptedTextField(_("动态口令密钥"), blank=True, default="")
    totp_enabled = models.BooleanField(_("已启用动态口令"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    # Set when an administrator issues a temporary password; cleared by the user's own change.
    must_change_password = models.BooleanField(_("须修改密码"), default=False)
    # The last TOTP time step accepted, so that a code cannot be replayed within its window.
    totp_last_step = models.BigIntegerField(null=True, blank=True, editable=False)

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    def is_locked(self, now=None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or timezone.now())


class RoleAssignment(ScopedModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        "org.CommandUnit",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        ordering = ["region_id", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "region", "role"], name="one_role_per_region")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.region_id}"


class ApiToken(ScopedModel):
    """A bearer token for an integration; only its SHA-256 digest is stored."""

    name = models.CharField(_("名称"), max_length=100)
    digest = models.CharField(max_length=64)
    prefix = models.CharField(_("前缀"), max_length=12)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        constraints = [models.UniqueConstraint(fields=["digest"], name="api_token_digest_unique")]

    def __str__(self) -> str:
        return self.name
