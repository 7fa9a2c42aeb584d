"""Message texts."""

SUBJECTS = {"loan": "Your loan is confirmed"}


def render_subject(kind: str) -> str:
    return SUBJECTS[kind]
