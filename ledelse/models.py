"""The organisation: regions, the unit tree, people and their roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class User(AbstractUser):
    """The sign-in account. Who the person is in the organisation lives on Person."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class SsoIdentity(models.Model):
    """The single sign-on identity an account is bound to: the identity provider (issuer)
    and its id for the person (subject). Made at the first SSO sign-in; from then on that
    identity signs in to this account only, whatever e-mail address it carries."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="sso_identity", verbose_name=_("user"))
    issuer = models.CharField(_("issuer"), max_length=500)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(_("bound at"), auto_now_add=True)

    class Meta:
        verbose_name = _("SSO identity")
        verbose_name_plural = _("SSO identities")
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="unique_sso_identity")]

    def __str__(self) -> str:
        return f"{self.issuer} {self.subject}"


class Region(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Unit(MP_Node):
    """A unit in a region's tree: the region's own top unit, then hospital/centre/
    department, then section, to any depth.

    Materialised paths make "every unit under X" and "the chain above Y" one query each.
    Children are appended (no sorted insert), so existing paths never shift.
    """

    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        HOSPITAL = "hospital", _("Hospital")
        CENTRE = "centre", _("Centre")
        DEPARTMENT = "department", _("Department")
        SECTION = "section", _("Section")
        OTHER = "other", _("Unit")

    code = models.CharField(
        _("code"), max_length=50, unique=True, help_text=_("The unit's id in the organisation import.")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="units", verbose_name=_("region"))

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        indexes = [models.Index(fields=["region", "path"])]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """Someone in the organisation, linked to a sign-in account when they have one."""

    user = models.OneToOneField(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="person", verbose_name=_("user")
    )
    employee_id = models.CharField(_("employee id"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    sso_id = models.CharField(
        _("SSO id"),
        max_length=200,
        blank=True,
        help_text=_("The identity provider's immutable id for the person (Entra ID: object id), from the import."),
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="people", verbose_name=_("unit"))
    is_leader = models.BooleanField(_("leads the unit"), default=False)
    # A leader who leads people without heading a unit (an afsnitsleder, a team leader): they
    # get a LUS like every leader; their own leader is their unit's leader.
    leads_people = models.BooleanField(_("leads people without heading the unit"), default=False)
    own_leader = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("own leader (explicit)"),
        help_text=_("Leave empty to use the leader of the unit above."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            # One leader per unit keeps "the leader of the unit above" well defined; shared
            # leadership is expressed with an explicit own_leader.
            models.UniqueConstraint(fields=["unit"], condition=Q(is_leader=True), name="one_leader_per_unit"),
            models.CheckConstraint(condition=~Q(own_leader=models.F("id")), name="person_not_own_leader"),
            models.UniqueConstraint(fields=["sso_id"], condition=~Q(sso_id=""), name="unique_person_sso_id"),
        ]

    def __str__(self) -> str:
        return self.name


class RoleAssignment(models.Model):
    """A role beyond leader/employee (which follow from Person). HR is scoped to a subtree,
    koncernledelse to a region's top unit; administrators have no scope."""

    class Role(models.TextChoices):
        HR = "hr", _("HR")
        KONCERNLEDELSE = "koncernledelse", _("Koncernledelse")
        ADMINISTRATOR = "administrator", _("Administrator")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles", verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("scope")
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "role", "unit"], condition=Q(unit__isnull=False), name="unique_scoped_role"
            ),
            models.UniqueConstraint(
                fields=["person", "role"], condition=Q(unit__isnull=True), name="unique_unscoped_role"
            ),
            models.CheckConstraint(
                condition=Q(role="administrator") | Q(unit__isnull=False), name="scoped_roles_have_a_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()}" + (f" ({self.unit})" if self.unit_id else "")


class MedCommittee(models.Model):
    """A MED committee (co-determination, medindflydelse og medbestemmelse) sitting at a unit.

    It covers its unit and the units under it, down to (not into) a unit with a committee of
    its own: `ledelse.selectors.med_committee_for_unit` is that rule. From the organisation
    import (the unit row's `med` column)."""

    class Kind(models.TextChoices):
        HOVEDUDVALG = "hovedudvalg", _("Main committee (HovedMED)")
        OMRAADE = "omraade", _("Area committee (område-MED)")
        LOKAL = "lokal", _("Local committee (lokal-MED)")

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="med_committee", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.LOKAL)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["unit__path"]
        verbose_name = _("MED committee")
        verbose_name_plural = _("MED committees")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["hovedudvalg", "omraade", "lokal"]), name="med_kind_valid"),
            models.CheckConstraint(condition=~Q(name=""), name="med_committee_has_a_name"),
        ]

    def __str__(self) -> str:
        return self.name


class MedMembership(models.Model):
    """A person's seat in a MED committee. The formand is usually the unit's leader, the
    næstformand usually an employee representative; one of each per committee."""

    class Role(models.TextChoices):
        FORMAND = "formand", _("Chair (formand)")
        NAESTFORMAND = "naestformand", _("Vice-chair (næstformand)")
        MEDLEM = "medlem", _("Member")

    committee = models.ForeignKey(
        MedCommittee, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("MED committee")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="med_memberships", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEDLEM)

    class Meta:
        ordering = ["committee", "role", "person__name"]
        verbose_name = _("MED membership")
        verbose_name_plural = _("MED memberships")
        constraints = [
            models.UniqueConstraint(fields=["committee", "person"], name="one_seat_per_person_per_committee"),
            models.UniqueConstraint(fields=["committee"], condition=Q(role="formand"), name="one_med_formand"),
            models.UniqueConstraint(
                fields=["committee"], condition=Q(role="naestformand"), name="one_med_naestformand"
            ),
            models.CheckConstraint(condition=Q(role__in=["formand", "naestformand", "medlem"]), name="med_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()} ({self.committee})"
