from tests.dialogues.conftest import framework, make_activity, plan, principles, rollout  # noqa: F401
from tests.lus.conftest import lus  # noqa: F401
