from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from erfaringsforum.fields import optional_reference
from erfaringsforum.urlcache import pk_url


class County(models.Model):
    """One of Norway's 15 counties (2024 reform), keyed by its official two-digit number."""

    number = models.CharField(_("number"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        constraints = [
            models.CheckConstraint(
                condition=Q(number__regex=r"^[0-9]{2}$"), name="county_number_two_digits"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Unit(models.Model):
    class Kind(models.TextChoices):
        LOCAL_OFFICE = "local_office", _("local office")
        SPECIALIST_UNIT = "specialist_unit", _("specialist unit")
        CONTACT_CENTRE = "contact_centre", _("contact centre")
        ASSISTIVE_AIDS_CENTRE = "assistive_aids_centre", _("assistive-aids centre")
        DIRECTORATE_DEPARTMENT = "directorate_department", _("directorate department")
        NATIONAL_UNIT = "national_unit", _("other national unit")

    number = models.CharField(_("unit number"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    county = optional_reference(
        County, _("county"), related_name="units", help_text=_("Empty for national units.")
    )
    parent = optional_reference("self", _("parent unit"), related_name="children")

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.CheckConstraint(
                condition=Q(number__regex=r"^[0-9A-Za-z-]{1,10}$"), name="unit_number_format"
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_department(self) -> bool:
        return self.kind == self.Kind.DIRECTORATE_DEPARTMENT


class EmployeeManager(BaseUserManager["Employee"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "Employee":
        if not email:
            raise ValueError("An employee needs an e-mail address.")
        employee = self.model(email=self.normalize_email(email).lower(), **fields)
        employee.set_password(password)
        employee.save(using=self._db)
        return employee

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "Employee":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("name", email.split("@")[0])
        return self.create_user(email, password, **fields)


class Employee(AbstractBaseUser, PermissionsMixin):
    """An employee of the agency; the project's user model.

    The county is not stored: it is the unit's county. Roles that are not per-topic
    (leader, department contact, admin) are Django groups and flags; per-topic roles come
    from a topic's staffing.
    """

    email = models.EmailField(_("e-mail"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    unit = optional_reference(Unit, _("unit"), related_name="employees")
    is_staff = models.BooleanField(_("admin access"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = EmployeeManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        constraints = [
            models.CheckConstraint(
                condition=Q(email=models.functions.Lower("email")), name="employee_email_lowercase"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="employee_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return pk_url("accounts:profile", self.pk)

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0]

    @property
    def county(self) -> County | None:
        return self.unit.county if self.unit_id and self.unit else None
