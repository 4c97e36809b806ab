"""Files the server would refuse are refused in the browser first, with a message beside the drop zone: more
than one upload takes at once (its body would be above the upload guard's limit and get a bare 413), or one
file above the size limit. Nothing is chosen then."""

from __future__ import annotations

from playwright.sync_api import expect

from imi_app.requests.attachments import MAX_FILES_AT_ONCE
from tests.browser.conftest import sign_in, wait_hydrated

ZONE = "#request-files"


def _new_request(page):
    sign_in(page, "de.handler")  # reads English
    page.goto("/requests/new")
    wait_hydrated(page)
    page.locator("#subject").wait_for()


def test_more_files_than_one_upload_takes_are_refused_with_a_message(page, live_app):
    _new_request(page)
    files = [{"name": f"page-{n}.txt", "mimeType": "text/plain", "buffer": b"a page\n"}
             for n in range(MAX_FILES_AT_ONCE + 1)]
    page.set_input_files(f"{ZONE} input[type=file]", files=files)
    expect(page.get_by_role("alert")).to_have_text(
        f"At most {MAX_FILES_AT_ONCE} files can be added at once. Nothing was added: choose fewer files.")
    expect(page.locator("#chosen-files")).to_have_count(0)

    # As many as it takes are chosen.
    page.set_input_files(f"{ZONE} input[type=file]", files=files[:MAX_FILES_AT_ONCE])
    expect(page.locator("#chosen-files .chosen-file")).to_have_count(MAX_FILES_AT_ONCE)


def test_a_file_above_the_size_limit_is_refused_with_a_message(page, live_app):
    _new_request(page)
    too_large = 10 * 1024 * 1024 + 1
    page.set_input_files(f"{ZONE} input[type=file]",
                         files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"%" * too_large}])
    expect(page.get_by_role("alert")).to_have_text("The file is larger than the allowed size.", timeout=20_000)
    expect(page.locator("#chosen-files")).to_have_count(0)
