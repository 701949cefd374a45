"""Refusals raised by the accounts services; the message is French and shown to the user as is."""


class AccountError(Exception):
    """A refused account operation (e.g. an administrator removing their own administrator role)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SecondFactorError(AccountError):
    """A second-factor code that does not match."""
