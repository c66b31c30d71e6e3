"""Content errors name the file and the field, so an editor can fix them without reading code."""


class ContentError(Exception):
    """One or more problems in the content files; nothing is loaded when raised."""

    def __init__(self, problems: list[tuple[str, str, str]]):
        self.problems = problems
        super().__init__("\n".join(f"{path}: {field}: {message}" for path, field, message in problems))
