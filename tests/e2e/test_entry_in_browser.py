"""A prosecutor enters a judgment in a real browser and sees its deadlines.

Runs in Debian's headless Chromium through Playwright. Without chromium the
test is skipped and says so, unless SOTHULY_REQUIRE_BROWSER=1 (CI), where a
missing browser is a failure.
"""

import datetime as dt
import os
import shutil

import pytest

from cases.models import Agency, Unit, User

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "Thu@nghiem2026"

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_page():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("SOTHULY_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required here (SOTHULY_REQUIRE_BROWSER=1).")
        pytest.skip("Chromium is not installed: apt-get install chromium")
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls
    # of the test itself are plain synchronous ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        yield page
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def test_a_prosecutor_enters_a_judgment_and_sees_a5_and_a7(
    live_server, transactional_db, browser_page
):
    """Pronounced 20/12/2024 without appeal → effect 21/01/2025; A5 runs past
    Tết to Mon 03/02/2025. QĐTHA issued Fri 24/01/2025 → A7 is the third
    working day after it, Tết days skipped: Wed 05/02/2025."""
    unit = Unit.objects.create(code="E2E-KV1", name="VKSND khu vực 1 - Hải Phòng")
    Agency.objects.create(
        kind=Agency.Kind.COURT,
        name="Tòa án nhân dân quận Lê Chân, thành phố Hải Phòng",
        valid_to=dt.date(2025, 6, 30),
    )
    User.objects.create_user(
        "ksv.e2e",
        password=PASSWORD,
        unit=unit,
        role="prosecutor",
        full_name="Trần Văn Kiểm",
    )
    page = browser_page

    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_auth-username", "ksv.e2e")
    page.fill("#id_auth-password", PASSWORD)
    page.click("button[type=submit]")
    page.click("text=Nhập bản án")

    page.fill("#id_number", "03/2024/HS-ST")
    page.select_option(
        "#id_court", label="Tòa án nhân dân quận Lê Chân, thành phố Hải Phòng"
    )
    page.fill("#id_pronounced_on", "20/12/2024")
    page.fill("#id_register_date", "02/01/2025")
    page.fill("#id_convict-0-full_name", "Nguyễn Thị Hạnh")
    page.select_option("#id_convict-0-sex", "female")
    page.fill("#id_convict-0-birth_date", "14/03/1991")
    page.fill("#id_convict-0-crimes", "174 khoản 1")
    page.select_option("#id_convict-0-sentence_kind", "prison")
    page.fill("#id_convict-0-term_years", "1")
    page.fill("#id_convict-0-term_months", "6")
    page.fill("#id_convict-0-qdtha_number", "07/2025/QĐ-CA")
    page.fill("#id_convict-0-qdtha_date", "24/01/2025")
    page.click("button[name=save]")

    page.wait_for_selector("h1:has-text('Nguyễn Thị Hạnh')")
    a5 = page.locator("tr[data-rule=A5]")
    a7 = page.locator("tr[data-rule=A7]")
    assert "03/02/2025" in a5.inner_text()
    assert "Thực hiện muộn" not in a5.inner_text()
    assert "05/02/2025" in a7.inner_text()
    assert "Số thụ lý 1/2025" in page.inner_text("main")


def test_a_leader_signs_in_with_password_and_authenticator_code(
    live_server, transactional_db, browser_page
):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    unit = Unit.objects.create(code="E2E-KV2", name="VKSND khu vực 2 - Hải Phòng")
    leader = User.objects.create_user(
        "lanhdao.e2e",
        password=PASSWORD,
        unit=unit,
        role="leader",
        full_name="Lê Thị Lãnh",
    )
    device = TOTPDevice.objects.create(user=leader, name="default")
    page = browser_page

    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_auth-username", "lanhdao.e2e")
    page.fill("#id_auth-password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#id_token-otp_token")
    page.fill("#id_token-otp_token", f"{TOTP(device.bin_key).token():06d}")
    page.click("button:has-text('Xác nhận')")

    page.wait_for_selector("text=Lê Thị Lãnh")
    assert page.url == f"{live_server.url}/"
