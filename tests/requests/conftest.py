"""Back-office fixtures (staff members) for the requests domain tests."""
from tests.gestion.conftest import make_staff  # noqa: F401
