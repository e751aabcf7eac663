"""Errors a user can read: one plain sentence each, never a traceback."""


class CaseFileError(Exception):
    """Base of every error the case file reports to a person."""


class NotACaseFile(CaseFileError):
    pass


class NewerCaseFile(CaseFileError):
    pass


class CaseBusy(CaseFileError):
    pass


BUSY_MESSAGE = "The case file is open elsewhere and another program is changing it; try again when it has finished."


class SearchSyntaxError(CaseFileError):
    pass


class AlreadyImported(CaseFileError):
    def __init__(self, message: str, source_id: int):
        super().__init__(message)
        self.source_id = source_id


class SavedNameError(CaseFileError, ValueError):
    """A saved search or mapping without a name, or asked for by a name nothing is saved under.

    Also a ValueError: callers that check a mapping (a ValueError when malformed) catch both as one.
    """
