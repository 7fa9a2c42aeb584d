"""One exception family: everything a user should see as a one-line message is a FitnessError."""

from __future__ import annotations


class FitnessError(Exception):
    """An error the user can act on; the CLI prints it as one line and exits with 2."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        if self.path and self.line:
            return f"{self.path}:{self.line}: {self.message}"
        if self.path:
            return f"{self.path}: {self.message}"
        return self.message


class ConfigError(FitnessError):
    """fitness.yaml (or [tool.fitness]) is wrong; ``errors`` holds every problem found, not just the first."""

    def __init__(self, errors: list[FitnessError]) -> None:
        first = errors[0]
        super().__init__(first.message, first.path, first.line)
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)
