"""The main path in the web app, with Django's test client."""

import pytest


@pytest.mark.django_db
def test_editor_sees_seed000_analysis_generates_plan_and_downloads_documents(world, login):
    client = login(world["users"]["editor"])
    a = world["a"]
    page = client.get(f"/agencies/{a.pk}/results/2567/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "๗๒.๙๗" in text and "ต้องปรับปรุง" in text
    response = client.post(f"/agencies/{a.pk}/plans/generate/2567/")
    assert response.status_code == 302 and response["Location"].endswith(f"/agencies/{a.pk}/plans/2568/")
    for fmt, magic in (("docx", b"PK"), ("pdf", b"%PDF")):
        download = client.get(f"/agencies/{a.pk}/plans/2568/documents/{fmt}/")
        assert download.status_code == 200 and download.content.startswith(magic)


@pytest.mark.django_db
def test_anonymous_user_is_sent_to_login(client, world):
    response = client.get(f"/agencies/{world['a'].pk}/results/2567/")
    assert response.status_code == 302 and "/login/" in response["Location"]
