"""What values tells the apps that use a framework, without knowing them (docs/architecture.md):
they connect in their AppConfig.ready()."""

from django.dispatch import Signal

# A framework version became the published one readers see: published in the admin
# (services.version_publish) or loaded published from its data file (services.framework_load).
# Sent once the change is committed, with `version_id` (a user may, say, prepare what it
# makes of the version; docs/architecture.md names who listens).
version_published = Signal()
