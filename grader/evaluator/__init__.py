"""The trusted evaluator: a fresh process, where no submission code ever runs, that loads a
saved model with ``safe_mode=True`` and scores it on the hidden test set (`child`), and the
grade process's handle on it (`handle`). Nothing here is imported by the other.
"""
