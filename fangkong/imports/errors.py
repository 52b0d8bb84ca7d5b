"""What the readers raise for a file that cannot be imported."""


class FileRefused(Exception):
    """The file as a whole cannot be imported; nothing is stored.

    `reason` names refusals the user can answer on the upload's page (headers to map, a file
    imported before); `details` carries what that answer needs (the earlier batch)."""

    def __init__(self, message: str, *, reason: str = "", **details) -> None:
        super().__init__(message)
        self.reason = reason
        self.details = details
