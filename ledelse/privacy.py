"""The one threshold for showing what a group said or did without naming anyone.

The smallest group whose answers (or counts) are shown: below it, one person's answer or
state could be picked out by those who know who took part. Used by the LUS figures
(`lus.masking`: a count and its complement must both reach it) and the answers to an
activity's questions before a dialogue meeting (`dialogues.activity_questions`: the
answers show once this many people have answered). One constant, so the two rules cannot
drift apart; `ledelse` names no other app, so both may import it.
"""

from __future__ import annotations

from typing import Final

MIN_GROUP_SIZE: Final = 3  # the smallest group whose answers are shown
