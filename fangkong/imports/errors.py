"""What the readers raise for a file that cannot be imported."""


class FileRefused(Exception):
    """The file as a whole cannot be imported; nothing is stored."""
