"""What the browser stories share: the application's frozen clock, the steps of the demo commune's birth
registration (1 working day = 1 + 5 + 2 working hours), and the helpers that submit forms and read downloads back."""

import datetime as dt
import io
from pathlib import Path

import docx
from django.utils import timezone

STEPS = [
    {"action": "Tiếp nhận, kiểm tra hồ sơ, chuyển công chức tư pháp - hộ tịch", "responsible": "Bộ phận Một cửa",
     "duration": 1, "duration_unit": "hour"},
    {"action": "Thẩm tra hồ sơ, ghi Sổ đăng ký khai sinh, trình ký", "responsible": "Công chức tư pháp - hộ tịch",
     "duration": 5, "duration_unit": "hour"},
    {"action": "Ký Giấy khai sinh", "responsible": "Chủ tịch UBND", "duration": 2, "duration_unit": "hour"},
]


class Clock:
    """The application's clock (django.utils.timezone.now, read by the live server's thread too)."""

    def __init__(self):
        self.now = None

    def set(self, text: str):
        self.now = timezone.make_aware(dt.datetime.fromisoformat(text))

    def __call__(self):
        return self.now


def submit(page, button, *, ok: bool = True) -> None:
    """Click a submit button and wait for the page that answers; unless told otherwise, the page must show no
    error (neither a refusal message nor a field error)."""
    with page.expect_navigation():
        button.click()
    if ok:
        errors = page.locator(".msg-error, .has-error, p.error")
        assert errors.count() == 0, errors.all_inner_texts()


def fill(form, **fields) -> None:
    """Fill the named controls of a form: selects by option value(s), radios by value, other fields by text."""
    for name, value in fields.items():
        control = form.locator(f"[name='{name}']")
        if control.first.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        elif control.first.get_attribute("type") == "radio":
            form.locator(f"[name='{name}'][value='{value}']").check()
        else:
            control.fill(value)


def send(page, form, *, ok: bool = True, **fields) -> None:
    fill(form, **fields)
    submit(page, form.locator("button[type=submit]").last, ok=ok)


def edit_form(page):
    """The form of a create or edit page (core/object_form.html)."""
    return page.locator("main form.form")


def download(page, link) -> bytes:
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path()).read_bytes()


def docx_text(content: bytes) -> str:
    """Every paragraph and table cell of a Word file, read back with python-docx."""
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def status(page, element_id: str) -> str:
    return page.locator(f"#{element_id}").get_attribute("data-status")
