from tests.dialogues.conftest import framework, plan, principles, rollout  # noqa: F401
from tests.lus.conftest import lus  # noqa: F401
