import pytest


@pytest.mark.parametrize(
    "path",
    [
        "/workbench/",
        "/workbench/units/",
        "/workbench/people/",
        "/workbench/entities/",
        "/workbench/rights/",
        "/workbench/leading-group/",
    ],
)
def test_officer_pages_render(world, login, path):
    client = login(world.officer)
    response = client.get(path)
    assert response.status_code == 200
    assert "工作台" in response.content.decode()


def test_portal_pages(world, client):
    assert client.get("/").status_code == 200
    assert client.get("/signup/").status_code == 200
    assert client.get("/login/").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200
