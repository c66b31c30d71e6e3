import pytest

from tests.appointments.helpers import close_service, open_service


@pytest.fixture
def opened(app):
    """The test service takes appointments (2 desks, 9 h – 10 h); everything is removed afterwards."""
    close_service(app)
    open_service(app)
    yield
    close_service(app)
