"""The one error a `casefile` command raises itself: a problem said in one sentence."""


class UserError(Exception):
    """A problem to report in one sentence, exit status 1."""
