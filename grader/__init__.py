"""A practice grader for TensorFlow Developer Certificate-style exercises.

The flow, in four words: a learner's file is run by a **Runner** (a sandboxed child
process), its outputs come back as data, trusted **Checks** judge them, and a **Report**
says what came out.
"""

__version__ = "0.1.0"
