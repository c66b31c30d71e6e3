"""Back-office fixtures (staff members) for the alerts domain tests."""
from tests.gestion.conftest import make_staff  # noqa: F401
