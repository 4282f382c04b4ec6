"""What the browser stories share: the application's frozen clock and the steps of the demo commune's birth
registration (1 working day = 1 + 5 + 2 working hours)."""

import datetime as dt

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
