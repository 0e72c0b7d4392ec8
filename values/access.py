"""Who may see what of the frameworks. Published material is for every signed-in user;
drafts only for those who edit the frameworks (HR and administrators)."""

from values.models import FrameworkVersion


def can_edit_frameworks(user) -> bool:
    return user.is_authenticated and user.has_perm("values.change_item")


def version_visible_to(user, version: FrameworkVersion | None) -> bool:
    if version is None:
        return False
    return version.status != FrameworkVersion.Status.KLADDE or can_edit_frameworks(user)
