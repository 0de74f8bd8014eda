import pytest


@pytest.fixture(autouse=True)
def _publication_urls(settings):
    settings.ROOT_URLCONF = "tests.publication.urls"
